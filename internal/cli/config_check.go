package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/display"
)

func newConfigCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Check the configuration",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "List every problem of the configuration: keys, variables, folders, ledger",
		Long: `check reads the configuration file (--config) as run and daemon do and lists
every problem at once: unknown keys, values out of range, ${VARIABLES} not set
in the environment, folders that are not folders or cannot be read, written or
created, and a ledger in a read-only place. It creates and changes nothing.
Run it as the service's user, with its environment (the credentials file), to
see what the service will see. Exit code 0: usable; 2: problems listed.`,
		Args: cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			if n := runConfigCheck(g.configPath, g.stdout); n > 0 {
				return &ExitError{Code: ExitUsage}
			}
			return nil
		},
	})
	return cmd
}

// runConfigCheck prints the problems of the configuration at path, or that
// it is usable; it returns how many problems it found.
func runConfigCheck(path string, w io.Writer) int {
	cfg, problems := config.Problems(path)
	name := display.Line(path)
	if len(problems) == 0 {
		fmt.Fprintf(w, "%s: usable (inbox %s, ledger %s)\n", name, display.Line(cfg.Inbox), display.Line(cfg.Ledger))
		for _, warn := range cfg.Warnings {
			fmt.Fprintf(w, "  warning: %s\n", display.Line(warn))
		}
		return 0
	}
	unit := "problems"
	if len(problems) == 1 {
		unit = "problem"
	}
	fmt.Fprintf(w, "%s: %d %s:\n", name, len(problems), unit)
	for _, p := range problems {
		fmt.Fprintf(w, "  %s\n", display.Line(p))
	}
	fmt.Fprintln(w, "Fix them, then run orderdrop config check again (config.example.yaml documents every key).")
	return len(problems)
}
