from hunk.cli import main

raise SystemExit(main())
