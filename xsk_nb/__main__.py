from xsk_nb.cli import main

raise SystemExit(main())
