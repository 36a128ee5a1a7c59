# Jupyter server settings for `make lab` (passed with --config) and Binder (binder/postBuild
# copies this file into the Jupyter config folder): the kit's save guard, which keeps a secret
# key the user did not reveal on purpose out of the saved .ipynb (xsk_nb/scan/save_guard.py).
c = get_config()  # noqa: F821 - defined by Jupyter when it reads this file
c.ContentsManager.pre_save_hook = "xsk_nb.scan.save_guard.pre_save_hook"
