from nexlint.cli import main

main()
