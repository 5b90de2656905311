from rpmgraph.cli import main

main()
