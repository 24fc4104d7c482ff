package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orderdrop/orderdrop/internal/batch"
	"github.com/orderdrop/orderdrop/internal/carriers"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/inbox"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/pass"
)

type validateOptions struct {
	out    string
	online bool
	now    time.Time // zero = time.Now(); tests pin it
}

func newValidateCommand(g *globalOptions) *cobra.Command {
	var opts validateOptions
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check files offline and write their reports; nothing is sent",
		Long: `validate reads each file, checks every row, and writes its report
(NAME.result.xlsx or .csv) into --out (default: the configuration's reports
folder; never the inbox, where the daemon would take it for orders): invalid rows
name every problem as "column: why", valid rows are not_submitted. With
--online it also checks carrier reference data (Netwo prefixes, Thinktel
trunks and offerings, Prizz contacts and delivery ports), read-only.
Exit code 0 when every row is valid, 1 otherwise, 2 on usage errors.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			explicit := cmd.Flags().Changed("config") || os.Getenv("ORDERDROP_CONFIG") != ""
			cfg, err := validateConfig(g.configPath, explicit, opts.online)
			if err != nil {
				return err
			}
			code, err := runValidate(cmd.Context(), cfg, opts, args, g.stdout)
			if err != nil {
				return err
			}
			if code != ExitOK {
				return &ExitError{Code: code}
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&opts.out, "out", "o", "", "folder for the reports (default: the configuration's reports folder; never the inbox)")
	cmd.Flags().BoolVar(&opts.online, "online", false, "also check carrier reference data (needs the configuration's credentials)")
	return cmd
}

// validateConfig loads the configuration when there is one; offline
// validation works without (defaults), --online needs it.
func validateConfig(path string, explicit, online bool) (*config.Config, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && !explicit && !online {
		return config.Parse(nil, ".", os.LookupEnv)
	}
	return loadConfig(path)
}

func runValidate(ctx context.Context, cfg *config.Config, opts validateOptions, files []string, stdout io.Writer) (int, error) {
	now := opts.now
	if now.IsZero() {
		now = time.Now()
	}
	var ref *order.Reference
	if opts.online {
		cs, err := carriers.New(cfg, newLogger(io.Discard, cfg.Log), userAgent(), nil)
		if err != nil {
			return ExitUsage, usageError("%v", err)
		}
		defer cs.Close()
		if ref, err = cs.Reference(ctx); err != nil {
			return ExitFatal, fatal(fmt.Errorf("read carrier reference data: %w", err))
		}
	}
	out, err := validateOut(cfg, opts.out)
	if err != nil {
		return ExitUsage, err
	}
	code := ExitOK
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			return ExitUsage, usageError("%s: %v", f, err)
		}
		if inbox.Skipped(cfg.Skip, filepath.Base(f)) {
			fmt.Fprintf(stdout, "%s: skipped: a lock or temporary file (matches skip in the configuration)\n", f)
			continue
		}
		if !slices.Contains(inbox.DefaultExtensions(), strings.ToLower(filepath.Ext(f))) {
			fmt.Fprintf(stdout, "%s: skipped: not an order spreadsheet (an attachment such as a letter of authorization is read by the row naming it)\n", f)
			continue
		}
		oo := pass.OrderOptions(cfg, filepath.Dir(f), now)
		oo.Reference = ref
		sum, err := batch.Process(ctx, f, batch.Options{Order: oo, ReportDir: out, AllOrNothing: cfg.AllOrNothing, Location: cfg.Location()})
		var fe *batch.FileError
		switch {
		case errors.As(err, &fe):
			fmt.Fprintf(stdout, "%s: not read: %v\n", f, fe.Err)
			code = ExitAttention
			continue
		case err != nil:
			return ExitFatal, fatal(err)
		}
		fmt.Fprintln(stdout, sum.Line())
		if sum.Counts[batch.Invalid] > 0 {
			code = ExitAttention
		}
	}
	return code, nil
}

// validateOut is the folder validate writes its reports into: out, or the
// configuration's reports folder when out is "". It refuses the inbox: a
// report written there would be taken by the daemon for an order file.
func validateOut(cfg *config.Config, out string) (string, error) {
	flag := out != ""
	if !flag {
		out = cfg.Reports
	}
	if sameFolder(out, cfg.Inbox) {
		if flag {
			return "", usageError("--out %s is the inbox (%s), where the daemon would read the reports as orders: give another folder, or leave --out out to write into %s",
				out, cfg.Inbox, cfg.Reports)
		}
		return "", usageError("the configured reports folder %s is the inbox, where the daemon would read the reports as orders: set reports to another folder in the configuration, or give --out",
			cfg.Reports)
	}
	return out, nil
}

// sameFolder reports whether a and b name the same folder: the same file
// when both exist, else the same absolute path.
func sameFolder(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	return errA == nil && errB == nil && absA == absB
}
