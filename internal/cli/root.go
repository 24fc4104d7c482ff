// Package cli wires orderdrop's commands: one file per command, each with a
// newXCommand that builds flags and a runX that does the work (and is what
// tests call).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orderdrop/orderdrop/internal/pass"
)

// Exit codes (DESIGN §5).
const (
	ExitOK        = 0 // all good
	ExitAttention = 1 // done, but some rows or files need attention
	ExitUsage     = 2 // usage or configuration error
	ExitFatal     = 3 // could not run (ledger locked or unwritable…)
)

// ExitError carries an exit code with the message to print.
type ExitError struct {
	Code int
	Err  error // nil = nothing more to print (the summaries said it)
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

func usageError(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

func fatal(err error) error { return &ExitError{Code: ExitFatal, Err: err} }

// passError maps an error of package pass to the command's: a *pass.Error
// keeps its exit code and message; other errors are returned as they are.
func passError(err error) error {
	var pe *pass.Error
	if err == nil || !errors.As(err, &pe) {
		return err
	}
	if pe.Err == nil {
		return &ExitError{Code: pe.Code}
	}
	return &ExitError{Code: pe.Code, Err: err}
}

// globalOptions are the flags every command shares.
type globalOptions struct {
	configPath string
	stdout     io.Writer
	stderr     io.Writer
}

// NewRootCommand builds the orderdrop command tree.
func NewRootCommand(stdout, stderr io.Writer) *cobra.Command {
	g := &globalOptions{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "orderdrop",
		Short: "Turns spreadsheets of telecom orders into carrier orders, exactly once",
		Long: `orderdrop picks up CSV/XLSX files of orders dropped in a shared folder
(French number ports via Netwo, Canadian port-ins via Thinktel, layer-2 links
via Prizz Telecom), validates every row, submits each valid order once, and
writes a result spreadsheet with the carrier's reference or the exact reason
on every row.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version(),
	}
	root.SetVersionTemplate("orderdrop {{.Version}}\n")
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVarP(&g.configPath, "config", "c", envOr("ORDERDROP_CONFIG", "orderdrop.yaml"), "configuration file (env ORDERDROP_CONFIG)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError("%s", flagError(err)) })
	root.AddCommand(
		newRunCommand(g),
		newDaemonCommand(g),
		newValidateCommand(g),
		newTemplateCommand(g),
		newStatusCommand(g),
		newTrackCommand(g),
		newAttentionCommand(g),
		newResolveCommand(g),
		newLedgerCommand(g),
		newVersionCommand(g),
		newManCommand(g),
		newConfigCommand(g),
	)
	return root
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := NewRootCommand(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintln(stderr, "orderdrop:", ee.Err)
		}
		return ee.Code
	}
	// cobra's own errors (unknown command, bad args) are usage errors.
	fmt.Fprintln(stderr, "orderdrop:", err)
	return ExitUsage
}

// flagError says what is wrong with a flag in words: pflag's own message
// quotes Go's parser ("strconv.ParseInt: parsing …: invalid syntax").
func flagError(err error) string {
	var ive *pflag.InvalidValueError
	if !errors.As(err, &ive) {
		return err.Error()
	}
	want := "not a valid value"
	switch ive.GetFlag().Value.Type() {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "count":
		want = "not a whole number"
	case "float32", "float64":
		want = "not a number"
	case "bool":
		want = "not true or false"
	case "duration":
		want = "not a duration such as 30s or 5m"
	}
	return fmt.Sprintf("--%s: %q is %s", ive.GetFlag().Name, ive.GetValue(), want)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
