package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/orderdrop/orderdrop/internal/carrier/registry"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

type templateOptions struct {
	out   string
	csv   bool
	force bool // replace an existing file; false = refuse
}

func newTemplateCommand(g *globalOptions) *cobra.Command {
	var opts templateOptions
	cmd := &cobra.Command{
		Use:       "template KIND",
		Short:     "Write an empty order spreadsheet for a kind (fr-port, ca-port, l2)",
		Long:      "template writes an XLSX with the kind's header row, a help comment on each column (French and English),\ndropdowns for closed lists, text-formatted number columns (Excel keeps leading zeros) and date formats.\n--csv writes the CSV header instead.",
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{string(order.FrPort), string(order.CaPort), string(order.L2)},
		RunE: func(_ *cobra.Command, args []string) error {
			return runTemplate(args[0], opts, g)
		},
	}
	cmd.Flags().StringVarP(&opts.out, "output", "o", "", "file to write (default: KIND-template.xlsx or .csv)")
	cmd.Flags().BoolVar(&opts.csv, "csv", false, "write a CSV header (';' delimited, UTF-8 with BOM) instead of XLSX")
	cmd.Flags().BoolVar(&opts.force, "force", false, "replace the file if it exists")
	return cmd
}

func runTemplate(kindName string, opts templateOptions, g *globalOptions) error {
	kind := order.Kind(strings.ToLower(strings.TrimSpace(kindName)))
	if registry.CarrierOf(kind) == "" {
		return usageError("unknown kind %q: use fr-port, ca-port or l2", kindName)
	}
	var cols []sheet.TemplateColumn
	for _, c := range order.Columns(kind) {
		// The sheet package adds "required" and the example to the comment.
		help := c.HelpFR + "\n\n" + c.HelpEN
		cols = append(cols, sheet.TemplateColumn{Name: c.Name, Help: help, Choices: c.Choices, Text: c.Text, Date: c.Date, Required: c.Required, Example: c.Example})
	}
	out := opts.out
	if out == "" {
		out = string(kind) + "-template.xlsx"
		if opts.csv {
			out = string(kind) + "-template.csv"
		}
	}
	if _, err := os.Lstat(out); err == nil && !opts.force {
		return usageError("%s already exists: pass --force to replace it, or -o another name", out)
	}
	var err error
	if opts.csv {
		err = sheet.WriteTemplateCSV(out, cols, ';')
	} else {
		err = sheet.WriteTemplate(out, string(kind), cols)
	}
	if err != nil {
		return fatal(fmt.Errorf("write template: %w", err))
	}
	fmt.Fprintf(g.stdout, "%s template written to %s\n", kind, out)
	return nil
}
