package sheet

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedInbox holds the project's public fixtures, made by real office
// software; the test skips when the folder is not there.
const sharedInbox = "../../../shared/fixtures/inbox"

func TestSharedFixtures(t *testing.T) {
	if _, err := os.Stat(sharedInbox); err != nil {
		t.Skipf("no shared fixtures at %s", sharedInbox)
	}
	open := func(t *testing.T, name string) (*Workbook, error) {
		t.Helper()
		return Open(filepath.Join(sharedInbox, name), Options{})
	}
	col := func(tb *Table, name string) int {
		for i, h := range tb.Header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %q", name, tb.Header)
		return -1
	}
	digits := regexp.MustCompile(`^[0-9]+$`)

	t.Run("fr-port-lo-typed.xlsx", func(t *testing.T) {
		wb, err := open(t, "fr-port-lo-typed.xlsx")
		require.NoError(t, err)
		require.Len(t, wb.Sheets, 1)
		tb := wb.Sheets[0]
		assert.Equal(t, []string{"customer_name", "siret", "order_ref", "idn", "numbers", "wanted_date", "routing", "prefix",
			"street", "zip_code", "city", "contact_name", "contact_phone", "contact_email", "rio", "suivi_interne"}, tb.Header)
		require.Len(t, tb.Records, 8)
		rec := tb.Records[0]
		assert.Equal(t, 2, rec.Num)
		for _, c := range []string{"idn", "siret", "zip_code", "prefix", "contact_phone"} {
			v := rec.Cells[col(tb, c)]
			assert.Regexp(t, digits, v, "column %s: got %q want plain digits", c, v)
		}
		assert.Equal(t, "261910210", rec.Cells[col(tb, "idn")])
		assert.Equal(t, "10203", rec.Cells[col(tb, "prefix")])
		assert.Regexp(t, `^4[0-9]{4}\.[0-9]+$`, rec.Cells[col(tb, "wanted_date")], "a date-time cell stays an Excel serial")
	})

	t.Run("l2-openpyxl.xlsx", func(t *testing.T) {
		wb, err := open(t, "l2-openpyxl.xlsx")
		require.NoError(t, err)
		require.Len(t, wb.Sheets, 1)
		tb := wb.Sheets[0]
		assert.Equal(t, "Commandes", tb.Name)
		require.Len(t, tb.Records, 9, "the 30 styled empty rows are not records")
		var row7 *Record
		for i := range tb.Records {
			if tb.Records[i].Num == 7 {
				row7 = &tb.Records[i]
			}
		}
		require.NotNil(t, row7)
		offer := col(tb, "offer_id")
		assert.Contains(t, row7.Problems[offer], "formula")
		assert.Contains(t, row7.Problems[offer], "=2200+1")
		assert.Equal(t, "", row7.Cells[offer])
		assert.Equal(t, "2201", tb.Records[0].Cells[offer])
	})

	t.Run("multi-kind.xlsx", func(t *testing.T) {
		wb, err := open(t, "multi-kind.xlsx")
		require.NoError(t, err)
		require.Len(t, wb.Sheets, 3)
		var names []string
		var counts []int
		for _, s := range wb.Sheets {
			names = append(names, s.Name)
			counts = append(counts, len(s.Records))
		}
		assert.Equal(t, []string{"fr-port", "ca-port", "l2"}, names)
		assert.Equal(t, []int{3, 9, 2}, counts)
	})

	t.Run("fr-port-excel-fr-cp1252.csv", func(t *testing.T) {
		wb, err := open(t, "fr-port-excel-fr-cp1252.csv")
		require.NoError(t, err)
		assert.Equal(t, EncodingWindows1252, wb.Encoding)
		assert.Equal(t, ';', wb.Delimiter)
		tb := wb.Sheets[0]
		assert.Contains(t, tb.Header, "Numéros")
		require.Len(t, tb.Records, 8)
		var all strings.Builder
		for _, r := range tb.Records {
			all.WriteString(strings.Join(r.Cells, "|"))
		}
		for _, s := range []string{"œ", "Œ", "’"} {
			assert.Contains(t, all.String(), s)
		}
	})

	t.Run("fr-port-utf8-bom-comma.csv", func(t *testing.T) {
		wb, err := open(t, "fr-port-utf8-bom-comma.csv")
		require.NoError(t, err)
		assert.Equal(t, EncodingUTF8BOM, wb.Encoding)
		assert.Equal(t, ',', wb.Delimiter)
		tb := wb.Sheets[0]
		assert.Equal(t, "order_ref", tb.Header[0], "BOM stripped")
		require.Len(t, tb.Records, 7)
		assert.Equal(t, 3, tb.Records[1].Num)
		assert.Equal(t, 4, tb.Records[1].Line, "record 3 starts on line 4: record 2 holds a newline")
	})

	t.Run("old-format-renamed.xlsx", func(t *testing.T) {
		_, err := open(t, "old-format-renamed.xlsx")
		require.ErrorIs(t, err, ErrOldExcel)
		assert.Contains(t, err.Error(), ".xls")
		assert.Contains(t, err.Error(), "old-format-renamed.xlsx")
	})

	t.Run("truncated-multi-kind.xlsx", func(t *testing.T) {
		_, err := open(t, "truncated-multi-kind.xlsx")
		require.ErrorIs(t, err, ErrDamaged)
		assert.Contains(t, err.Error(), "truncated-multi-kind.xlsx")
	})

	t.Run("every file opens or fails cleanly", func(t *testing.T) {
		entries, err := os.ReadDir(sharedInbox)
		require.NoError(t, err)
		for _, e := range entries {
			wb, err := open(t, e.Name())
			assert.True(t, (wb == nil) != (err == nil), "%s: got workbook %v and error %v", e.Name(), wb != nil, err)
		}
	})
}
