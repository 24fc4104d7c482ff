package pass

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/orderdrop/orderdrop/internal/display"
	"github.com/orderdrop/orderdrop/internal/ledger"
)

// LedgerTrouble words an error opening the ledger at path for the
// operator (version is this orderdrop's): a damaged ledger, or one written by a newer orderdrop, says
// what to do and names the newest backup that opens. Other errors are
// wrapped as they are.
func LedgerTrouble(path, version string, err error) error {
	var newer *ledger.NewerError
	switch {
	case errors.As(err, &newer):
		who := "a newer orderdrop"
		if newer.Writer != "" {
			who = "orderdrop " + display.Line(newer.Writer)
		}
		return &troubleError{err: err, msg: fmt.Sprintf("the ledger %s was written by %s (schema %d); this is orderdrop %s (schema %d): upgrade orderdrop or %s. Nothing was sent",
			display.Line(path), who, newer.Schema, version, ledger.SchemaVersion, restoreAdvice(path))}
	case errors.Is(err, ledger.ErrDamaged):
		return &troubleError{err: err, msg: fmt.Sprintf("the ledger %s is damaged and cannot be read (%s). Nothing was sent. Stop orderdrop (the daemon or its timer), keep the damaged file aside (mv %s %s.damaged) and %s",
			display.Line(path), display.Line(cause(err)), display.Line(path), display.Line(path), restoreAdvice(path))}
	}
	return fmt.Errorf("open ledger: %w", err)
}

// troubleError is a ledger error worded for the operator: msg says it all,
// err is kept for errors.Is and errors.As.
type troubleError struct {
	err error
	msg string
}

func (e *troubleError) Error() string { return e.msg }
func (e *troubleError) Unwrap() error { return e.err }

// restoreAdvice names the newest backup of the ledger at path that opens,
// how to put it back, and what a backup older than the latest pass leaves
// out.
func restoreAdvice(path string) string {
	good, bad, err := ledger.NewestBackup(path)
	var s strings.Builder
	switch {
	case err != nil:
		fmt.Fprintf(&s, "restore a backup (the backups beside it could not be listed: %s)", display.Line(err.Error()))
	case good == "":
		s.WriteString("restore a backup: none beside it opens (the daemon keeps ledger_backups daily copies)")
	default:
		fmt.Fprintf(&s, "restore the newest backup that opens: cp %s %s", display.Line(good), display.Line(path))
	}
	if len(bad) > 0 {
		names := make([]string, len(bad))
		for i, b := range bad {
			names[i] = display.Line(b)
		}
		fmt.Fprintf(&s, " (newer backups that this orderdrop cannot open: %s)", strings.Join(names, ", "))
	}
	s.WriteString("; orders sent after that backup was taken are not in it: see README \"Restoring the ledger\"")
	return s.String()
}

// cause is what bbolt said, without the ledger's own words around it.
func cause(err error) string {
	s := err.Error()
	if _, after, ok := strings.Cut(s, ledger.ErrDamaged.Error()); ok {
		s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(after), "("), ")")
	}
	return s
}

// IsLedgerTrouble reports whether err means the ledger cannot be used until
// a person restores or upgrades: the daemon stops on it rather than failing
// every pass.
func IsLedgerTrouble(err error) bool {
	var newer *ledger.NewerError
	return errors.Is(err, ledger.ErrDamaged) || errors.As(err, &newer)
}

// LogMigration says in the log that opening the ledger migrated it, and
// where the copy of the older file is.
func LogMigration(l *ledger.Ledger, log *slog.Logger) {
	if m := l.Migrated(); m.From != 0 {
		log.Info("ledger migrated to the schema of this orderdrop; the file as it was is kept",
			slog.String("ledger", l.Path()), slog.Int("from_schema", m.From), slog.Int("to_schema", m.To), slog.String("backup", m.Backup))
	}
}
