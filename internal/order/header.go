package order

import (
	"fmt"
	"slices"
	"strings"
)

// headerMaps maps each kind's folded column names and aliases to the
// canonical column name. Built once.
var headerMaps = func() map[Kind]map[string]string {
	out := make(map[Kind]map[string]string, len(Kinds))
	for _, k := range Kinds {
		m := make(map[string]string)
		for _, c := range Columns(k) {
			m[fold(c.Name)] = c.Name
		}
		for _, c := range Columns(k) { // aliases never shadow a canonical name
			for _, a := range c.Aliases {
				if _, ok := m[fold(a)]; !ok {
					m[fold(a)] = c.Name
				}
			}
		}
		out[k] = m
	}
	return out
}()

// CanonicalHeader maps a header row to canonical column names of kind k:
// one entry per header cell, "" for unknown columns and for a repeat of a
// column already seen.
func CanonicalHeader(k Kind, header []string) []string {
	m := headerMaps[k]
	out := make([]string, len(header))
	seen := make(map[string]bool, len(header))
	for i, h := range header {
		name := m[fold(h)]
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		out[i] = name
	}
	return out
}

// missingRequired lists the always-required columns of k absent from header.
func missingRequired(k Kind, header []string) []string {
	have := make(map[string]bool)
	for _, name := range CanonicalHeader(k, header) {
		have[name] = true
	}
	var missing []string
	for _, c := range Columns(k) {
		if c.Required && !have[c.Name] {
			missing = append(missing, c.Name)
		}
	}
	return missing
}

// KindFromName returns the kind a sheet name names (case-, space- and
// accent-insensitively), or "" when it names none.
func KindFromName(sheetName string) Kind {
	f := fold(sheetName)
	if f == "" {
		return ""
	}
	for _, k := range Kinds {
		if fold(string(k)) == f {
			return k
		}
	}
	return ""
}

// DetectKind finds the kind of a sheet: a sheet named after a kind is that
// kind; otherwise the kind whose required columns are all in the header.
// When no kind or several match, the error names the closest kind and its
// missing columns.
func DetectKind(sheetName string, header []string) (Kind, error) {
	if k := KindFromName(sheetName); k != "" {
		return k, nil
	}
	var matches []Kind
	closest, closestMissing := Kind(""), []string(nil)
	for _, k := range Kinds {
		missing := missingRequired(k, header)
		if len(missing) == 0 {
			matches = append(matches, k)
		}
		if closest == "" || len(missing) < len(closestMissing) {
			closest, closestMissing = k, missing
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", fmt.Errorf("cannot tell the order kind from the header: the closest is %s, which lacks the columns %s (or name the sheet %s)",
			closest, strings.Join(closestMissing, ", "), closest)
	}
	names := make([]string, len(matches))
	for i, k := range matches {
		names[i] = string(k)
	}
	slices.Sort(names)
	return "", fmt.Errorf("the header fits several order kinds (%s): name the sheet after its kind", strings.Join(names, ", "))
}
