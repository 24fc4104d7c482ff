package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/frdata"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// version is set at build time with -ldflags "-X github.com/orderdrop/orderdrop/internal/cli.version=v1.2.3".
var version = ""

// Version returns orderdrop's version: the one stamped at build time, else
// the module version or VCS revision Go recorded, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

func newVersionCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print orderdrop's version, the ledger schema it writes and the date of its French reference data",
		Long: `version prints orderdrop's version and the schema version of the ledger it
writes. A pass migrates a ledger of an older schema (after copying it to
LEDGER.vN.bak); a ledger of a newer schema is refused. It also prints the
month of the embedded French reference data (postcodes, ARCEP number
blocks) that validation checks against.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(g.stdout, "orderdrop %s\nledger schema %d\nFrench reference data %s (postcodes; ARCEP number blocks)\n", Version(), ledger.SchemaVersion, frdata.Date())
			return err
		},
	}
}
