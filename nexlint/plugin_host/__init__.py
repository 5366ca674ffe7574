"""Plugin rules run in a child process of their own, the plugin host, never in nexlint's.

nexlint's process (``parent``) starts one host per process that needs one -- the CLI, each
parallel worker, the language server -- and only when a plugin is configured or installed.
The host (``child``) imports the plugins, sends back their rules' metadata, and checks
documents on request: it parses the text as nexlint does and runs each plugin rule
contained (``engine.run_rule``). The two speak length-prefixed JSON (``wire``) over two
pipes of their own; the host's standard input is /dev/null and its standard output a file
it watches, so a plugin's ``print`` or ``os.write(1, ...)`` is counted, never read as the
protocol and never mixed into nexlint's report.

Each file gets a time budget (``plugin-timeout``): a rule that hangs past it, or that ends
the host (``os._exit``, a crash, a signal), fails the run with ``PluginFailure`` naming
the rule, never passes it. The host dies with the process that started it (``lifeline``).
"""
