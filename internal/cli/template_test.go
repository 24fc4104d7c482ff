package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/order"
)

var vtKinds = []order.Kind{order.FrPort, order.CaPort, order.L2}

// vtColumnNames returns the template header of kind.
func vtColumnNames(kind order.Kind) []string {
	var names []string
	for _, c := range order.Columns(kind) {
		names = append(names, c.Name)
	}
	return names
}

// vtWriteTemplate runs `orderdrop template KIND -o path` and checks it succeeded.
func vtWriteTemplate(t *testing.T, kind order.Kind, path string) {
	t.Helper()
	code, stdout, stderr := vtMain(t, "template", string(kind), "-o", path)
	require.Equal(t, ExitOK, code, "got exit %d want 0; stderr: %s", code, stderr)
	assert.Contains(t, stdout, string(kind)+" template written to "+path)
}

// vtDropList returns the choices of a list data validation: an inline
// "a,b,c" list, or the cells of a Lists!$A$1:$A$n reference.
func vtDropList(t *testing.T, f *excelize.File, dv *excelize.DataValidation) []string {
	t.Helper()
	formula := dv.Formula1
	if strings.HasPrefix(formula, `"`) {
		return strings.Split(strings.ReplaceAll(strings.Trim(formula, `"`), `""`, `"`), ",")
	}
	sheetName, rng, ok := strings.Cut(strings.TrimPrefix(formula, "="), "!")
	require.True(t, ok, "got dropdown formula %q want an inline list or a sheet range", formula)
	from, to, _ := strings.Cut(strings.ReplaceAll(rng, "$", ""), ":")
	c1, r1, err := excelize.CellNameToCoordinates(from)
	require.NoError(t, err)
	_, r2, err := excelize.CellNameToCoordinates(to)
	require.NoError(t, err)
	var out []string
	for r := r1; r <= r2; r++ {
		cell, err := excelize.CoordinatesToCellName(c1, r)
		require.NoError(t, err)
		v, err := f.GetCellValue(strings.Trim(sheetName, "'"), cell)
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// vtCellStyle returns the style of a cell (the column style for an empty cell).
func vtCellStyle(t *testing.T, f *excelize.File, sheetName, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheetName, cell)
	require.NoError(t, err)
	st, err := f.GetStyle(id)
	require.NoError(t, err)
	return st
}

func vtIsTextFormat(st *excelize.Style) bool {
	return st.NumFmt == 49 || (st.CustomNumFmt != nil && *st.CustomNumFmt == "@")
}

// vtCommentText is a comment's full text (excelize may return it as runs).
func vtCommentText(c excelize.Comment) string {
	s := c.Text
	for _, r := range c.Paragraph {
		s += r.Text
	}
	return s
}

func TestTemplateXLSXMatchesColumns(t *testing.T) {
	for _, kind := range vtKinds {
		t.Run(string(kind), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), string(kind)+".xlsx")
			vtWriteTemplate(t, kind, path)

			f, err := excelize.OpenFile(path)
			require.NoError(t, err)
			defer f.Close()
			sheetName := f.GetSheetName(0)
			assert.Equal(t, string(kind), sheetName, "got first sheet %q want it named after the kind", sheetName)

			rows, err := f.GetRows(sheetName)
			require.NoError(t, err)
			require.Len(t, rows, 1, "got %d rows want the header only (an example row would be submitted)", len(rows))
			assert.Equal(t, vtColumnNames(kind), rows[0], "header row")

			comments, err := f.GetComments(sheetName)
			require.NoError(t, err)
			byCell := map[string]string{}
			for _, c := range comments {
				byCell[c.Cell] = vtCommentText(c)
			}
			dvs, err := f.GetDataValidations(sheetName)
			require.NoError(t, err)

			cols := order.Columns(kind)
			for i, c := range cols {
				col, err := excelize.ColumnNumberToName(i + 1)
				require.NoError(t, err)

				text, ok := byCell[col+"1"]
				if assert.True(t, ok, "column %s (%s1): got no comment want the help", c.Name, col) {
					assert.Contains(t, text, c.HelpEN, "column %s comment", c.Name)
					assert.Contains(t, text, c.HelpFR, "column %s comment", c.Name)
					if c.Example != "" {
						assert.Contains(t, text, c.Example, "column %s comment", c.Name)
					}
					if c.Required {
						assert.Contains(t, strings.ToLower(text), "required", "column %s comment", c.Name)
					}
				}

				var found []*excelize.DataValidation
				for _, dv := range dvs {
					if strings.HasPrefix(dv.Sqref, col+"2:") {
						found = append(found, dv)
					}
				}
				if len(c.Choices) == 0 {
					assert.Empty(t, found, "column %s: got a dropdown want none (free value)", c.Name)
				} else if assert.Len(t, found, 1, "column %s: got %d dropdowns want 1", c.Name, len(found)) {
					dv := found[0]
					assert.Equal(t, "list", dv.Type, "column %s dropdown type", c.Name)
					assert.Equal(t, col+"2:"+col+"5000", dv.Sqref, "column %s dropdown range", c.Name)
					assert.Equal(t, c.Choices, vtDropList(t, f, dv), "column %s dropdown choices", c.Name)
				}

				st := vtCellStyle(t, f, sheetName, col+"2")
				switch {
				case c.Text:
					assert.True(t, vtIsTextFormat(st), "column %s: got NumFmt %d / %v want text (@)", c.Name, st.NumFmt, st.CustomNumFmt)
				case c.Date:
					if assert.NotNil(t, st.CustomNumFmt, "column %s: want a date format", c.Name) {
						assert.Equal(t, "dd/mm/yyyy hh:mm", *st.CustomNumFmt, "column %s date format", c.Name)
					}
				default:
					assert.False(t, vtIsTextFormat(st), "column %s: got text format want general", c.Name)
				}
			}
		})
	}
}

func TestTemplateL2VLANDropdowns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "l2.xlsx")
	vtWriteTemplate(t, order.L2, path)
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()

	want := []string{"Transparence aux CVLAN (QinQ)", "Flux tagué C-VLAN", "Flux non tagué"}
	names := vtColumnNames(order.L2)
	dvs, err := f.GetDataValidations("l2")
	require.NoError(t, err)
	for _, name := range []string{"site_vlan_mode", "port_vlan_mode"} {
		col, err := excelize.ColumnNumberToName(slices.Index(names, name) + 1)
		require.NoError(t, err)
		var got []string
		for _, dv := range dvs {
			if strings.HasPrefix(dv.Sqref, col+"2:") {
				got = vtDropList(t, f, dv)
			}
		}
		assert.Equal(t, want, got, "%s dropdown", name)
	}
}

// The header comment is what a user reads; each fact should be said once.
// sheet.WriteTemplate's commentText already adds "Obligatoire / Required."
// and "Exemple / Example: …", and runTemplate puts both in Help too.
func TestTemplateCommentSaysRequiredAndExampleOnce(t *testing.T) {
	for _, kind := range vtKinds {
		t.Run(string(kind), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), string(kind)+".xlsx")
			vtWriteTemplate(t, kind, path)
			f, err := excelize.OpenFile(path)
			require.NoError(t, err)
			defer f.Close()
			comments, err := f.GetComments(string(kind))
			require.NoError(t, err)
			byCell := map[string]string{}
			for _, c := range comments {
				byCell[c.Cell] = strings.ToLower(vtCommentText(c))
			}
			var repeated []string
			for i, c := range order.Columns(kind) {
				col, err := excelize.ColumnNumberToName(i + 1)
				require.NoError(t, err)
				text := byCell[col+"1"]
				if c.Required && strings.Count(text, "obligatoire / required") != 1 {
					repeated = append(repeated, c.Name+" (required marker)")
				}
				ex := strings.ToLower(c.Example)
				if c.Example != "" && strings.Count(text, "ex.: "+ex)+strings.Count(text, "example: "+ex) != 1 {
					repeated = append(repeated, c.Name+" (example)")
				}
			}
			a1 := byCell["A1"]
			assert.Empty(t, repeated, "got header comments repeating a fact want each said once; e.g. A1: %q", a1)
		})
	}
}

func TestTemplateCSV(t *testing.T) {
	for _, kind := range vtKinds {
		t.Run(string(kind), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), string(kind)+".csv")
			code, stdout, stderr := vtMain(t, "template", string(kind), "--csv", "-o", path)
			require.Equal(t, ExitOK, code, "stderr: %s", stderr)
			assert.Contains(t, stdout, "template written to "+path)
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			want := "\uFEFF" + strings.Join(vtColumnNames(kind), ";") + "\r\n"
			assert.Equal(t, want, string(b), "got CSV template %q want BOM + ';' header + CRLF", b)
		})
	}
}

func TestTemplateDefaultOutputName(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"template", "fr-port"}, "fr-port-template.xlsx"},
		{[]string{"template", "L2", "--csv"}, "l2-template.csv"}, // kind is case-insensitive
		{[]string{"template", " ca-port "}, "ca-port-template.xlsx"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			code, _, stderr := vtMain(t, tt.args...)
			require.Equal(t, ExitOK, code, "stderr: %s", stderr)
			assert.FileExists(t, filepath.Join(dir, tt.want))
		})
	}
}

func TestTemplateUsageErrors(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStderr string
	}{
		{"unknown kind", []string{"template", "bogus"}, `unknown kind "bogus"`},
		{"no kind", []string{"template"}, "accepts 1 arg"},
		{"two kinds", []string{"template", "fr-port", "l2"}, "accepts 1 arg"},
		{"unknown flag", []string{"template", "l2", "--pdf"}, "unknown flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			code, _, stderr := vtMain(t, tt.args...)
			assert.Equal(t, ExitUsage, code, "got exit %d want 2; stderr: %s", code, stderr)
			assert.Contains(t, stderr, tt.wantStderr)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, entries, "a failed template command must write nothing")
		})
	}
}

// vtRoundTripRow is one row a user types into a template, and what the
// report must say of it.
type vtRoundTripRow struct {
	cells      map[string]any // column → string (typed as text) or time.Time (a date cell)
	wantStatus string
	wantCols   []string // invalid: columns the message must name
}

// TestTemplateRoundTrip: template → filled like a user would → validate →
// the report's statuses. Text columns keep leading zeros, so no row gets a
// "lost its leading zero" note.
func TestTemplateRoundTrip(t *testing.T) {
	frRow := func(changes map[string]any) map[string]any {
		row := map[string]any{"order_ref": "", "idn": "0261910210", "numbers": "0261910210", "wanted_date": vtExcelDate(2026, 12, 22, 10, 0),
			"routing": "prefix", "prefix": "010203", "customer_name": "Verrerie d'Armor", "siret": "81234001700027", "street": "14 quai de la Douane",
			"zip_code": "29200", "city": "Brest", "contact_name": "Yvonne Kerjean", "contact_email": "y.kerjean@example.com", "contact_phone": "0673480041"}
		for k, v := range changes {
			row[k] = v
		}
		return row
	}
	caRow := func(changes map[string]any) map[string]any {
		row := map[string]any{"pilot_number": "4165550100", "numbers": "4165550120", "customer_name": "Harbourfront Physiotherapy Inc.", "account_number": "BC-7730-4418",
			"street_number": "390", "street_name": "Queens Quay West", "city": "Toronto", "province": "ON", "postal_code": "M5V 3A6",
			"country": "CA", "email": "admin@example.com", "current_provider_id": "311"}
		for k, v := range changes {
			row[k] = v
		}
		return row
	}
	l2Row := func(changes map[string]any) map[string]any {
		row := map[string]any{"client_name": "Cave Coopérative de Pessac", "offer_id": "2201", "option_ids": "41,42", "gtr_contact_ho": "7101", "gtr_contact_hno": "7102",
			"street_number": "27", "street_type": "avenue", "street_name": "Jean Jaurès", "zip_code": "33600", "city": "Pessac",
			"site_contact_name": "Mathilde Roques", "site_contact_phone": "0536490731", "follow_contact_ids": "7101;7103", "port_ref": "PZ-BDX-ATL1-03",
			"site_vlan_mode": "Flux non tagué", "port_vlan_mode": "Transparence aux CVLAN (QinQ)", "delivery_interface": "1000 Base LX"}
		for k, v := range changes {
			row[k] = v
		}
		return row
	}
	tests := []struct {
		kind order.Kind
		rows []vtRoundTripRow
	}{
		{order.FrPort, []vtRoundTripRow{
			{cells: frRow(nil), wantStatus: "not_submitted"},
			{cells: frRow(map[string]any{"idn": "0465710300", "numbers": "0465710300 0465710301", "wanted_date": "23/12/2026 15:00", "routing": "sip_trunk",
				"siret": "79455123800015", "zip_code": "09000", "city": "Foix", "contact_phone": "0465710399"}), wantStatus: "not_submitted"},
			{cells: frRow(map[string]any{"idn": "0298000001", "numbers": "0298000001", "wanted_date": vtExcelDate(2026, 12, 19, 10, 0)}), // a Saturday
				wantStatus: "invalid", wantCols: []string{"wanted_date"}},
			{cells: frRow(map[string]any{"idn": "0298000002", "numbers": "0298000002", "siret": "81234001700028"}),
				wantStatus: "invalid", wantCols: []string{"siret"}},
			{cells: frRow(map[string]any{"idn": "0298000003", "numbers": "0298000003", "wanted_date": "24/12/2026 07:30", "contact_email": "y@@example.com"}),
				wantStatus: "invalid", wantCols: []string{"wanted_date", "contact_email"}},
		}},
		{order.CaPort, []vtRoundTripRow{
			{cells: caRow(nil), wantStatus: "not_submitted"},
			{cells: caRow(map[string]any{"numbers": "4165550121-4165550123", "requested_port_date": vtExcelDate(2027, 1, 4, 0, 0), "requested_port_time": "09:30"}),
				wantStatus: "not_submitted"},
			{cells: caRow(map[string]any{"numbers": "4165550130", "postal_code": "1234 AB"}), wantStatus: "invalid", wantCols: []string{"postal_code"}},
			{cells: caRow(map[string]any{"numbers": "4165550131", "email": "not-an-email"}), wantStatus: "invalid", wantCols: []string{"email"}},
		}},
		{order.L2, []vtRoundTripRow{
			{cells: l2Row(nil), wantStatus: "not_submitted"},
			{cells: l2Row(map[string]any{"street_number": "29", "site_vlan_mode": "Flux tagué C-VLAN", "site_vlan": "42"}), wantStatus: "not_submitted"},
			{cells: l2Row(map[string]any{"street_number": "31", "site_vlan": "42"}), wantStatus: "invalid", wantCols: []string{"site_vlan"}},
			{cells: l2Row(map[string]any{"street_number": "33", "port_vlan_mode": "Flux double tagué"}), wantStatus: "invalid", wantCols: []string{"port_vlan_mode"}},
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, string(tt.kind)+"-orders.xlsx")
			vtWriteTemplate(t, tt.kind, path)

			f, err := excelize.OpenFile(path)
			require.NoError(t, err)
			rows := make([]map[string]any, len(tt.rows))
			for i, r := range tt.rows {
				rows[i] = r.cells
			}
			vtFillSheet(t, f, string(tt.kind), vtColumnNames(tt.kind), rows)
			require.NoError(t, f.Save())
			require.NoError(t, f.Close())

			out := filepath.Join(dir, "reports")
			var stdout bytes.Buffer
			code, err := runValidate(context.Background(), vtConfig(t, dir), validateOptions{out: out, now: vtNow(t)}, []string{path}, &stdout)
			require.NoError(t, err)
			assert.Equal(t, ExitAttention, code, "got exit %d want 1 (invalid rows); stdout: %s", code, stdout.String())

			reportPath := filepath.Join(out, string(tt.kind)+"-orders.result.xlsx")
			valid := 0
			for _, r := range tt.rows {
				if r.wantStatus == "not_submitted" {
					valid++
				}
			}
			wantLine := vtSummaryLine(filepath.Base(path), len(tt.rows), valid, len(tt.rows)-valid, reportPath)
			if tt.kind == order.FrPort { // the two valid rows' numbers are in no ARCEP block: a warning each
				wantLine = strings.Replace(wantLine, " →", ", 2 with warnings →", 1)
			}
			assert.Equal(t, wantLine+"\n", stdout.String())

			report := vtReadReport(t, reportPath)
			got := report[string(tt.kind)]
			require.Len(t, got, len(tt.rows), "got %d report rows want %d", len(got), len(tt.rows))
			names := vtColumnNames(tt.kind)
			for i, want := range tt.rows {
				num := i + 2
				row, ok := got[num]
				require.True(t, ok, "row %d missing from the report", num)
				assert.Equal(t, want.wantStatus, row.status, "row %d: got %s (%s) want %s", num, row.status, row.message, want.wantStatus)
				if want.wantStatus == "not_submitted" {
					assert.Contains(t, row.message, "would send", "row %d message", num)
					assert.NotContains(t, row.message, "leading zero", "row %d: text cells keep their zeros, got %q", num, row.message)
				}
				for _, col := range want.wantCols {
					assert.Contains(t, row.message, col+":", "row %d: got message %q want it to name %s", num, row.message, col)
				}
				// The input's own cells are copied untouched (text stays text).
				for _, name := range names {
					if s, ok := want.cells[name].(string); ok {
						assert.Equal(t, s, row.cells[name], "row %d column %s copied to the report", num, name)
					}
				}
			}
		})
	}
}

// vtExcelDate is a date-time as Excel stores a typed date: a serial with no
// zone (excelize converts a UTC wall-clock time to the serial).
func vtExcelDate(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
}
