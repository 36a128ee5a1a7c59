# Jupyter server settings for `make lab` (passed with --config) and Binder (binder/postBuild
# copies this file into the Jupyter config folder): the kit's save guard, which keeps a secret
# key the user did not reveal on purpose out of the saved .ipynb (xsk_nb/scan/save_guard.py),
# and the kit's Voila template for /voila/render/ pages.
c = get_config()  # noqa: F821 - defined by Jupyter when it reads this file
c.ContentsManager.pre_save_hook = "xsk_nb.scan.save_guard.pre_save_hook"
# The kit's Voila template (share/jupyter/voila/templates/xsk-nb, installed with the kit): Voila's
# "lab" without its request to cdn.jsdelivr.net, loading only the kit's JupyterLab extensions.
c.VoilaConfiguration.template = "xsk-nb"
