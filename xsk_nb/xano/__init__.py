"""Getting a key into Xano without showing it: ``xsk-nb xano env-set`` and ``%xs_xano_env``.

- :mod:`xsk_nb.xano.profile`: the Xano CLI's profile file (``~/.xano/credentials.yaml``);
- :mod:`xsk_nb.xano.metadata_api`: the two Metadata API requests the kit makes;
- :mod:`xsk_nb.xano.env_set`: draw a key, refuse an existing name, send it, report it masked;
- :mod:`xsk_nb.xano.cli` and :mod:`xsk_nb.xano.magic`: the command line and the notebook.

Nothing here is imported by ``import xsk_nb``.
"""
