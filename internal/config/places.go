package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Problems checks the configuration at path as Check does, then the
// folders and files it names (readable, writable or creatable, the ledger
// in a writable place), creating nothing that stays. It returns every
// problem, one line each, and the configuration when it could be read.
func Problems(path string) (*Config, []string) {
	cfg, err := Check(path)
	problems := configProblems(err)
	if cfg != nil {
		problems = append(problems, placeProblems(cfg)...)
	}
	return cfg, problems
}

// configProblems splits what config.Check returned into one line per
// problem (each is one line), without the "invalid configuration" each
// begins with.
func configProblems(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(line, ErrInvalid.Error()+": "))
		if line != "" {
			out = append(out, line)
		}
	}
	return out
}

// placeProblems checks the folders and files orderdrop reads and writes,
// creating nothing that stays.
func placeProblems(cfg *Config) []string {
	var out []string
	for _, f := range []struct{ key, dir string }{
		{"inbox", cfg.Inbox}, {"processing", cfg.Processing}, {"archive", cfg.Archive},
		{"failed", cfg.Failed}, {"reports", cfg.Reports},
	} {
		if p := folderProblem(f.dir); p != "" {
			out = append(out, f.key+": "+p)
		}
	}
	if p := fileProblem(cfg.Ledger); p != "" {
		out = append(out, "ledger: "+p+" (a ledger in a read-only place cannot record orders)")
	}
	if cfg.Metrics.Textfile != "" {
		if p := fileProblem(cfg.Metrics.Textfile); p != "" {
			out = append(out, "metrics.textfile: "+p)
		}
	}
	return out
}

// folderProblem says why dir cannot be used as a folder orderdrop reads
// and writes (or creates); "" when it can.
func folderProblem(dir string) string {
	fi, err := os.Stat(dir)
	switch {
	case missing(err):
		if why := creatable(dir); why != "" {
			return dir + ": cannot be created: " + why
		}
		return ""
	case err != nil:
		return fmt.Sprintf("%s: %v", dir, err)
	case !fi.IsDir():
		return dir + " is not a folder"
	}
	if _, err := os.ReadDir(dir); err != nil {
		return dir + " is not readable: give orderdrop's user read access to it"
	}
	if !writable(dir) {
		return dir + " is not writable: give orderdrop's user write access to it"
	}
	return ""
}

// fileProblem says why the file at path cannot be written (or created);
// "" when it can.
func fileProblem(path string) string {
	fi, err := os.Stat(path)
	switch {
	case missing(err):
		if why := creatable(filepath.Dir(path)); why != "" {
			return path + ": cannot be created: " + why
		}
		return ""
	case err != nil:
		return fmt.Sprintf("%s: %v", path, err)
	case fi.IsDir():
		return path + " is a folder, not a file"
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return path + " is not writable: give orderdrop's user write access to it"
	}
	_ = f.Close()
	return ""
}

// creatable says why dir (missing, or the folder a new file goes in)
// cannot be created or written by this user; "" when it can.
func creatable(dir string) string {
	parent := dir
	for {
		fi, err := os.Stat(parent)
		if err == nil {
			if !fi.IsDir() {
				return parent + " is not a folder"
			}
			if !writable(parent) {
				return parent + " is not writable: create the folder for orderdrop's user (install -d -o orderdrop), or choose another place"
			}
			return ""
		}
		if !missing(err) {
			return err.Error()
		}
		up := filepath.Dir(parent)
		if up == parent {
			return parent + " does not exist"
		}
		parent = up
	}
}

// missing reports whether err says a path does not exist (or cannot,
// since one of its folders is a file).
func missing(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)
}

// writable reports whether this user can create a file in dir (tried with
// a temporary file, removed at once).
func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".orderdrop-check-*")
	if err != nil {
		return false
	}
	name := f.Name()
	_ = f.Close()
	_ = os.Remove(name)
	return true
}
