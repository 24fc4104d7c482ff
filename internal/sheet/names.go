package sheet

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
)

// maxNumbered bounds the search for a free name.
const maxNumbered = 10000

// NumberedName returns name for n <= 1, else name with ".n" before its
// extension: "orders.xlsx" → "orders.2.xlsx", "a.result.csv" →
// "a.result.3.csv", "noext" → "noext.2". The names orderdrop makes have no
// spaces or brackets, so scripts and shells take them as they are.
func NumberedName(name string, n int) string {
	if n <= 1 {
		return name
	}
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + strconv.Itoa(n) + ext
}

// FreeName tries name, then NumberedName(name, 2), 3… with try, until try
// returns anything but an error wrapping fs.ErrExist, and returns the name
// it stopped at with try's error. try should take the name atomically (a
// hard link, O_EXCL) where another writer could race for it. It is the one
// place orderdrop picks a free file name: folders and reports alike.
func FreeName(name string, try func(name string) error) (string, error) {
	for n := 1; n <= maxNumbered; n++ {
		cand := NumberedName(name, n)
		err := try(cand)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return cand, err
	}
	return "", fmt.Errorf("no free name for %s after %d tries: %w", name, maxNumbered, fs.ErrExist)
}
