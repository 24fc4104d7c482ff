package cli

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/order"
)

// The README's column tables are what users read: every column orderdrop
// knows must be there, in backquotes, under its kind's heading.
func TestReadmeListsEveryColumn(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	readme := string(data)
	for _, k := range order.Kinds {
		start := strings.Index(readme, "### "+string(k))
		require.GreaterOrEqual(t, start, 0, "README has no section for %s", k)
		section := readme[start+4:]
		if end := strings.Index(section, "\n### "); end >= 0 {
			section = section[:end]
		}
		for _, c := range order.Columns(k) {
			assert.Contains(t, section, "`"+c.Name+"`", "README's %s table does not list column %s", k, c.Name)
		}
	}
	for _, cmd := range []string{"make demo", "make test"} {
		assert.Contains(t, readme, cmd)
	}
}

// readmeExampleNow is the clock the README's examples are valid at (their
// fr-port wanted_date values are in December 2026 and January 2027).
func readmeExampleNow(t *testing.T) time.Time {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	return time.Date(2026, 12, 1, 12, 0, 0, 0, paris)
}

// readmeExamples returns, per column, every example value the README's
// column table of kind k shows. A table row names one or more columns and
// one or more examples: as many of each pair up in order; one column takes
// every example as an alternative; columns given as alternatives ("X or
// Y") take the examples in order; one example applies to each column of a
// list.
func readmeExamples(t *testing.T, readme string, k order.Kind) map[string][]string {
	t.Helper()
	start := strings.Index(readme, "### "+string(k))
	require.GreaterOrEqual(t, start, 0, "README has no section for %s", k)
	section := readme[start+4:]
	if end := strings.Index(section, "\n#"); end >= 0 {
		section = section[:end]
	}
	quoted := regexp.MustCompile("`([^`]*)`")
	values := func(cell string) []string {
		var out []string
		for _, m := range quoted.FindAllStringSubmatch(cell, -1) {
			out = append(out, m[1])
		}
		return out
	}
	out := map[string][]string{}
	for _, line := range strings.Split(section, "\n") {
		cellsOf := strings.Split(line, "|")
		if len(cellsOf) < 5 || !strings.Contains(cellsOf[1], "`") {
			continue // not a column row (header, separator, prose, product columns)
		}
		names, examples := values(cellsOf[1]), values(cellsOf[3])
		switch {
		case len(examples) == 0:
		case len(names) == len(examples):
			for i, n := range names {
				out[n] = append(out[n], examples[i])
			}
		case len(names) == 1:
			out[names[0]] = append(out[names[0]], examples...)
		case strings.Contains(cellsOf[1], " or ") && len(examples) < len(names):
			for i, e := range examples {
				out[names[i]] = append(out[names[i]], e)
			}
		case len(examples) == 1:
			for _, n := range names {
				out[n] = append(out[n], examples[0])
			}
		default:
			t.Errorf("README %s table: %d columns %v but %d examples %v: write one example per column", k, len(names), names, len(examples), examples)
		}
	}
	return out
}

// exampleContext holds the values another column must take for an example
// to make sense: a VLAN only exists on a tagged side; a new service
// (offering_id) replaces the trunk pilot; a service id replaces the prefix.
var exampleContext = map[string]map[string]string{
	"site_vlan":         {"site_vlan_mode": order.VLANModeTagged},
	"port_vlan":         {"port_vlan_mode": order.VLANModeTagged},
	"offering_id":       {"pilot_number": ""},
	"prefix_service_id": {"prefix": ""},
}

// TestReadmeExamplesValidate: every example a user can copy — the README's
// column tables and each column's template example — passes validation.
// The base row of a kind is made of the template examples (so they must be
// valid together); each README example then replaces its column's value.
func TestReadmeExamplesValidate(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	attachments := t.TempDir()
	for _, name := range []string{"loa-client.pdf", "loa-lakeshore-dental.pdf"} {
		require.NoError(t, os.WriteFile(filepath.Join(attachments, name), []byte("%PDF-1.4\n% example letter of authorization\n%%EOF\n"), 0o600))
	}
	opts := order.Options{Now: readmeExampleNow(t), AttachmentDir: attachments}
	for _, k := range order.Kinds {
		t.Run(string(k), func(t *testing.T) {
			var header []string
			base := map[string]string{}
			for _, c := range order.Columns(k) {
				header = append(header, c.Name)
				base[c.Name] = c.Example
			}
			// pilot_number or offering_id: the template's example is a trunk.
			if _, ok := base["offering_id"]; ok {
				base["offering_id"] = ""
			}
			validate := func(row map[string]string) string {
				cells := make([]string, len(header))
				for i, h := range header {
					cells[i] = row[h]
				}
				var got []string
				for _, p := range order.ValidateRow(k, header, cells, opts) {
					got = append(got, p.String())
				}
				return strings.Join(got, "; ")
			}
			require.Empty(t, validate(base), "the template examples of %s, together, got problems", k)

			examples := readmeExamples(t, string(data), k)
			require.NotEmpty(t, examples, "README's %s table shows no example", k)
			for col, values := range examples {
				require.Contains(t, header, col, "README's %s table has an example for unknown column %s", k, col)
				for i, v := range values {
					row := maps.Clone(base)
					maps.Copy(row, exampleContext[col])
					row[col] = v
					// A French address is checked as a pair: the README's
					// postcode goes with its city.
					if zips, cities := examples["zip_code"], examples["city"]; (col == "zip_code" || col == "city") && len(zips) == len(cities) {
						row["zip_code"], row["city"] = zips[i], cities[i]
					}
					assert.Empty(t, validate(row), "README %s example %s = %q: got problems, want none", k, col, v)
				}
			}
		})
	}
}
