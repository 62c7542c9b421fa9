import TenshTerminal

TenshCommandLine.main()
