package ledger

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/orderdrop/orderdrop/internal/sheet"
)

// Backups are whole copies of the ledger file, taken inside one read
// transaction (bbolt's Tx.WriteTo), so a copy is consistent while passes
// write. They are written crash-safe (a temporary file beside the copy,
// fsynced, renamed, the folder fsynced) and then opened and read through
// like a ledger, so a copy that exists is a copy that opens.
//
// Beside the ledger "orderdrop.db" live:
//
//	orderdrop.db.backup-2026-12-06   the daemon's daily copies (DailyBackupPath)
//	orderdrop.db.v1.bak              the copy a migration from version 1 took first

// dailySuffix separates the ledger's name from the day in a daily backup's.
const dailySuffix = ".backup-"

// DailyBackupPath is the path of the daily backup of the ledger at path for
// day (its date as written in day's location).
func DailyBackupPath(path string, day time.Time) string {
	return path + dailySuffix + day.Format(time.DateOnly)
}

// migrationBackupPath is the copy a migration from version from writes
// first.
func migrationBackupPath(path string, from int) string {
	return fmt.Sprintf("%s.v%d.bak", path, from)
}

// Backup writes a consistent copy of the ledger to dst (mode 0600),
// replacing dst only once the copy is whole, then opens the copy to check
// it. Passes may go on writing meanwhile; the copy is the ledger as of the
// start of Backup.
func (l *Ledger) Backup(dst string) error {
	return backupDB(l.path, l.db, dst)
}

// BackupFile is Backup for a ledger this process has not opened: it opens
// the file at path read-only, waiting up to timeout (0 = 1s) for a pass
// that holds it, and copies it whatever its schema version. It returns
// ErrLocked when the pass still holds it, ErrNotFound when there is no
// file, and ErrDamaged when the file cannot be read (dst is then left
// alone).
func BackupFile(path, dst string, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = time.Second
	}
	if same, err := samePath(path, dst); err != nil || same {
		if err == nil {
			err = fmt.Errorf("ledger: the backup %s would overwrite the ledger itself: %w", dst, ErrInvalid)
		}
		return err
	}
	db, err := openBolt(path, bolt.Options{Timeout: timeout, ReadOnly: true, FreelistType: bolt.FreelistMapType, PreLoadFreelist: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := verify(path, db); err != nil {
		return err
	}
	if err := db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta) == nil {
			return fmt.Errorf("ledger: %s: no schema version (not an orderdrop ledger): %w", path, ErrSchema)
		}
		return nil
	}); err != nil {
		return err
	}
	return backupDB(path, db, dst)
}

// samePath reports whether a and b name the same file (b may not exist).
func samePath(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, nil // opening a says what is wrong
	}
	fb, err := os.Stat(b)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ledger: backup to %s: %w", b, err)
	}
	return os.SameFile(fa, fb), nil
}

// backupDB copies db (the ledger at path) to dst and checks the copy.
func backupDB(path string, db *bolt.DB, dst string) error {
	err := db.View(func(tx *bolt.Tx) error {
		return sheet.WriteFileAtomic(dst, 0o600, func(w io.Writer) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		return fmt.Errorf("ledger: back up %s to %s: %w", path, dst, err)
	}
	var newer *NewerError
	if err := CheckBackup(dst); err != nil && !errors.As(err, &newer) {
		_ = os.Remove(dst)
		return fmt.Errorf("ledger: back up %s: the copy does not read back, removed: %w", path, err)
	}
	return nil
}

// CheckBackup opens the backup at path read-only and reads it through, as
// Open would: nil when it could be restored. It returns ErrDamaged when the
// copy cannot be read, ErrSchema when it is not an orderdrop ledger, and a
// NewerError when it was written by a newer orderdrop.
func CheckBackup(path string) error {
	db, err := openBolt(path, bolt.Options{Timeout: time.Second, ReadOnly: true, FreelistType: bolt.FreelistMapType, PreLoadFreelist: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := verify(path, db); err != nil {
		return err
	}
	v, err := readSchema(path, db)
	if err == nil && v < 1 {
		err = fmt.Errorf("ledger: %s: no schema version (not an orderdrop ledger): %w", path, ErrSchema)
	}
	return err
}

// Backups returns the backups beside the ledger at path — daily copies
// and the copies migrations took — newest (last written) first.
func Backups(path string) ([]string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: list backups of %s: %w", path, err)
	}
	type found struct {
		path string
		mod  time.Time
	}
	var list []found
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !isBackupName(base, name) {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		list = append(list, found{filepath.Join(dir, name), fi.ModTime()})
	}
	slices.SortFunc(list, func(a, b found) int {
		if c := b.mod.Compare(a.mod); c != 0 {
			return c
		}
		return strings.Compare(b.path, a.path)
	})
	out := make([]string, len(list))
	for i, f := range list {
		out[i] = f.path
	}
	return out, nil
}

// isBackupName reports whether name is a backup of the ledger named base.
func isBackupName(base, name string) bool {
	if isDailyName(base, name) {
		return true
	}
	v, ok := strings.CutPrefix(name, base+".v")
	if !ok {
		return false
	}
	v, ok = strings.CutSuffix(v, ".bak")
	return ok && v != "" && strings.Trim(v, "0123456789") == ""
}

// isDailyName reports whether name is a daily backup of the ledger named
// base.
func isDailyName(base, name string) bool {
	day, ok := strings.CutPrefix(name, base+dailySuffix)
	if !ok {
		return false
	}
	_, err := time.Parse(time.DateOnly, day)
	return err == nil
}

// NewestBackup returns the newest backup beside the ledger at path that
// this orderdrop can restore (CheckBackup: it opens, and is not from a
// newer orderdrop), and the newer ones that it cannot. good is "" when no
// backup opens.
func NewestBackup(path string) (good string, bad []string, err error) {
	all, err := Backups(path)
	if err != nil {
		return "", nil, err
	}
	for _, b := range all {
		if CheckBackup(b) == nil {
			return b, bad, nil
		}
		bad = append(bad, b)
	}
	return "", bad, nil
}

// KeepDailyBackups removes the daily backups of the ledger at path but the
// keep newest (by the day in their name), and returns the removed ones.
// Other backups are left alone.
func KeepDailyBackups(path string, keep int) ([]string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("ledger: list backups of %s: %w", path, err)
	}
	var daily []string // ReadDir sorts by name: by day
	for _, e := range entries {
		if e.Type().IsRegular() && isDailyName(base, e.Name()) {
			daily = append(daily, filepath.Join(dir, e.Name()))
		}
	}
	var removed []string
	for len(daily) > max(keep, 0) {
		if err := os.Remove(daily[0]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, fmt.Errorf("ledger: remove old backup: %w", err)
		}
		removed = append(removed, daily[0])
		daily = daily[1:]
	}
	return removed, nil
}
