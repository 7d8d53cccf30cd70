"""The server extension's two rules, without a server: fill in on open, take out on save."""

import copy
import sys

from jupyter_client.kernelspec import KernelSpecManager

from cchc_analysis import server_extension as X

INFO = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}


def _model(language_info=None, outputs=False, kernel="python3"):
    cell = {"cell_type": "code", "source": "1 + 1", "metadata": {}, "outputs": [], "execution_count": None}
    if outputs:
        cell.update(outputs=[{"output_type": "execute_result", "data": {"text/plain": "2"}, "metadata": {},
                              "execution_count": 1}], execution_count=1)
    meta = {"kernelspec": {"name": kernel, "display_name": "Python 3 (ipykernel)", "language": "python"}}
    if language_info is not None:
        meta["language_info"] = language_info
    return {"type": "notebook", "content": {"cells": [cell], "metadata": meta, "nbformat": 4, "nbformat_minor": 5}}


def test_fill_only_what_is_missing_for_a_known_kernel():
    infos = {"python3": INFO}
    assert X.fill_language_info(_model(), infos)["content"]["metadata"]["language_info"] == INFO
    own = {"name": "python", "version": "3.12.1"}
    assert X.fill_language_info(_model(own), infos)["content"]["metadata"]["language_info"] == own  # kept
    assert "language_info" not in X.fill_language_info(_model(kernel="ir"), infos)["content"]["metadata"]
    listing = {"type": "directory", "content": []}
    assert X.fill_language_info(copy.deepcopy(listing), infos) == listing


def test_strip_only_the_filled_in_value_of_a_notebook_without_outputs():
    infos = {"python3": INFO}
    on_disk = {"kernelspec": {"name": "python3"}}
    assert "language_info" not in X.strip_language_info(_model(INFO), infos, on_disk=on_disk)["content"]["metadata"]
    kept = [
        X.strip_language_info(_model(INFO, outputs=True), infos, on_disk=on_disk),  # executed: a normal save
        X.strip_language_info(_model(INFO), infos, on_disk={**on_disk, "language_info": INFO}),  # the file had it
        X.strip_language_info(_model(INFO), infos, on_disk=None),  # a new file
        X.strip_language_info(_model({**INFO, "version": "3.12.1"}), infos, on_disk=on_disk),  # not ours
    ]
    assert all("language_info" in m["content"]["metadata"] for m in kept)


def test_only_kernels_on_this_python_are_filled(tmp_path):
    from ipykernel.ipkernel import IPythonKernel

    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path)])
    for name, argv in {"here": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                       "plain": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                       "other": ["/opt/python2.7/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                       "julia": [sys.executable, "-m", "some_other_kernel"]}.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "kernel.json").write_text(
            '{"argv": %s, "display_name": "%s", "language": "python"}' % (str(argv).replace("'", '"'), name))
    ksm.ensure_native_kernel = False
    infos = X.language_infos(ksm)
    assert set(infos) == {"here", "plain"} and infos["here"] == IPythonKernel.language_info
