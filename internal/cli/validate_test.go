package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/fr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
	"github.com/orderdrop/orderdrop/internal/sim"
)

// vtFixtures is the public fixtures folder, relative to this package.
const vtFixtures = "../../../shared/fixtures"

// vtMain runs the command line and returns the exit code, stdout and stderr.
func vtMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// vtNow is Monday 2026-11-23 12:00 Paris, the fixtures' generation day.
func vtNow(t *testing.T) time.Time {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	return time.Date(2026, 11, 23, 12, 0, 0, 0, paris)
}

// vtConfig is the default configuration (no file), rooted in dir.
func vtConfig(t *testing.T, dir string) *config.Config {
	t.Helper()
	cfg, err := config.Parse(nil, dir, os.LookupEnv)
	require.NoError(t, err)
	return cfg
}

// vtWriteFile writes content to dir/name and returns the path.
func vtWriteFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// vtFillSheet writes rows from row 2 under header, like a user typing:
// strings as text cells, time.Time as date cells.
func vtFillSheet(t *testing.T, f *excelize.File, sheetName string, header []string, rows []map[string]any) {
	t.Helper()
	for i, row := range rows {
		for col, v := range row {
			idx := slices.Index(header, col)
			require.GreaterOrEqual(t, idx, 0, "column %s is not in the header", col)
			cell, err := excelize.CoordinatesToCellName(idx+1, i+2)
			require.NoError(t, err)
			switch v := v.(type) {
			case string:
				if v != "" {
					require.NoError(t, f.SetCellStr(sheetName, cell, v))
				}
			default:
				require.NoError(t, f.SetCellValue(sheetName, cell, v))
			}
		}
	}
}

// vtWriteXLSX writes a workbook with one sheet per kind (named after it),
// the kind's full header, and rows.
func vtWriteXLSX(t *testing.T, path string, sheets map[order.Kind][]map[string]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for _, kind := range vtKinds {
		rows, ok := sheets[kind]
		if !ok {
			continue
		}
		name := string(kind)
		if first {
			require.NoError(t, f.SetSheetName(f.GetSheetName(0), name))
			first = false
		} else {
			_, err := f.NewSheet(name)
			require.NoError(t, err)
		}
		header := vtColumnNames(kind)
		for i, h := range header {
			cell, err := excelize.CoordinatesToCellName(i+1, 1)
			require.NoError(t, err)
			require.NoError(t, f.SetCellStr(name, cell, h))
		}
		vtFillSheet(t, f, name, header, rows)
	}
	require.NoError(t, f.SaveAs(path))
}

// vtReportRow is one row of a report as read back.
type vtReportRow struct {
	status, message string
	cells           map[string]string // by header
}

// vtReadReport reads a report: sheet name ("" for CSV) → row number → row.
func vtReadReport(t *testing.T, path string) map[string]map[int]vtReportRow {
	t.Helper()
	wb, err := sheet.Open(path, sheet.Options{})
	require.NoError(t, err, "open report %s", path)
	out := map[string]map[int]vtReportRow{}
	for _, tab := range wb.Sheets {
		if tab.Name == "Summary" {
			continue
		}
		st, msg := slices.Index(tab.Header, "status"), slices.Index(tab.Header, "message")
		require.True(t, st >= 0 && msg >= 0, "sheet %q: got header %v want status and message columns", tab.Name, tab.Header)
		rows := map[int]vtReportRow{}
		for _, rec := range tab.Records {
			r := vtReportRow{status: rec.Cells[st], message: rec.Cells[msg], cells: map[string]string{}}
			for i, h := range tab.Header {
				r.cells[h] = rec.Cells[i]
			}
			rows[rec.Num] = r
		}
		out[tab.Name] = rows
	}
	return out
}

// vtSummaryLine is the line validate prints for a read file.
// vtWarningsCount is the warnings count of a validate summary line.
var vtWarningsCount = regexp.MustCompile(`, [0-9]+ with warnings`)

func vtSummaryLine(file string, rows, notSubmitted, invalid int, report string) string {
	line := fmt.Sprintf("%s: %d rows", file, rows)
	if notSubmitted > 0 {
		line += fmt.Sprintf(", %d not_submitted", notSubmitted)
	}
	if invalid > 0 {
		line += fmt.Sprintf(", %d invalid", invalid)
	}
	return line + " → " + report
}

// vtExpectations is the part of the fixtures' expectations.json these tests use.
type vtExpectations struct {
	GeneratedOn string `json:"generated_on"`
	TimeZone    string `json:"timezone"`
	Files       []struct {
		File               string   `json:"file"`
		Outcome            string   `json:"outcome"`
		MessageMentionsAny []string `json:"message_mentions_any"`
		Sheets             []struct {
			Sheet *string `json:"sheet"`
			Kind  string  `json:"kind"`
			Rows  []struct {
				Row          int      `json:"row"`
				Status       string   `json:"status"`
				Columns      []string `json:"columns"`
				ColumnsAny   []string `json:"columns_any"`
				ExpectNoteOn []string `json:"expect_note_on"`
			} `json:"rows"`
		} `json:"sheets"`
	} `json:"files"`
}

func vtLoadExpectations(t *testing.T) (vtExpectations, string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vtFixtures, "expectations.json"))
	if os.IsNotExist(err) {
		t.Skip("public fixtures not present")
	}
	require.NoError(t, err)
	var exp vtExpectations
	require.NoError(t, json.Unmarshal(b, &exp))
	return exp, filepath.Join(vtFixtures, "inbox")
}

// TestValidateFixtures validates every public fixture that is read or
// rejected, with the clock at the fixtures' generation day, and checks the
// summary lines, the reports and every row against expectations.json.
func TestValidateFixtures(t *testing.T) {
	exp, inbox := vtLoadExpectations(t)
	loc, err := time.LoadLocation(exp.TimeZone)
	require.NoError(t, err)
	day, err := time.ParseInLocation(time.DateOnly, exp.GeneratedOn, loc)
	require.NoError(t, err)
	now := day.Add(12 * time.Hour)

	var files []string
	for _, f := range exp.Files {
		if f.Outcome == "read" || f.Outcome == "rejected" {
			files = append(files, filepath.Join(inbox, f.File))
		}
	}
	require.NotEmpty(t, files)

	dir := t.TempDir()
	out := filepath.Join(dir, "reports")
	var stdout bytes.Buffer
	code, err := runValidate(context.Background(), vtConfig(t, dir), validateOptions{out: out, now: now}, files, &stdout)
	require.NoError(t, err)
	assert.Equal(t, ExitAttention, code, "got exit %d want 1: the fixtures hold invalid rows and unreadable files", code)

	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	require.Len(t, lines, len(files), "got stdout %q want one line per file", stdout.String())

	var wantReports []string
	i := 0
	for _, f := range exp.Files {
		if f.Outcome != "read" && f.Outcome != "rejected" {
			continue
		}
		line := lines[i]
		i++
		t.Run(f.File, func(t *testing.T) {
			if f.Outcome == "rejected" {
				prefix := filepath.Join(inbox, f.File) + ": not read: "
				assert.True(t, strings.HasPrefix(line, prefix), "got %q want it to start with %q", line, prefix)
				assert.True(t, slices.ContainsFunc(f.MessageMentionsAny, func(s string) bool { return strings.Contains(line, s) }),
					"got %q want it to mention one of %v", line, f.MessageMentionsAny)
				assert.Contains(t, line, f.File, "the message names the file")
				return
			}
			ext := ".xlsx"
			if strings.HasSuffix(f.File, ".csv") {
				ext = ".csv"
			}
			reportPath := filepath.Join(out, strings.TrimSuffix(f.File, filepath.Ext(f.File))+".result"+ext)
			wantReports = append(wantReports, filepath.Base(reportPath))
			rows, valid := 0, 0
			for _, s := range f.Sheets {
				for _, r := range s.Rows {
					rows++
					if r.Status == "valid" {
						valid++
					}
				}
			}
			// The fixtures' French numbers are mostly in no ARCEP block: the
			// expectations predate warnings, which change no status.
			assert.Equal(t, vtSummaryLine(f.File, rows, valid, rows-valid, reportPath), vtWarningsCount.ReplaceAllString(line, ""))
			require.FileExists(t, reportPath)

			report := vtReadReport(t, reportPath)
			for _, s := range f.Sheets {
				name := ""
				if s.Sheet != nil {
					name = *s.Sheet
				}
				got, ok := report[name]
				require.True(t, ok, "report has no sheet %q", name)
				assert.Len(t, got, len(s.Rows), "sheet %q: got %d rows want %d", name, len(got), len(s.Rows))
				for _, want := range s.Rows {
					row, ok := got[want.Row]
					if !assert.True(t, ok, "sheet %q row %d missing", name, want.Row) {
						continue
					}
					if want.Status == "valid" {
						assert.Equal(t, "not_submitted", row.status, "sheet %q row %d: got %s (%s) want not_submitted", name, want.Row, row.status, row.message)
						assert.Contains(t, row.message, "would send", "sheet %q row %d", name, want.Row)
						for _, col := range want.ExpectNoteOn {
							assert.Contains(t, row.message, col+":", "sheet %q row %d: got %q want a note on %s", name, want.Row, row.message, col)
						}
						continue
					}
					assert.Equal(t, "invalid", row.status, "sheet %q row %d: got %s (%s) want invalid", name, want.Row, row.status, row.message)
					for _, col := range want.Columns {
						assert.Contains(t, row.message, col+":", "sheet %q row %d: got %q want it to name %s", name, want.Row, row.message, col)
					}
					if len(want.ColumnsAny) > 0 {
						assert.True(t, slices.ContainsFunc(want.ColumnsAny, func(c string) bool { return strings.Contains(row.message, c+":") }),
							"sheet %q row %d: got %q want it to name one of %v", name, want.Row, row.message, want.ColumnsAny)
					}
				}
			}
		})
	}

	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	var got []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".to-fix.") { // beside the report of a file with invalid rows
			assert.FileExists(t, filepath.Join(out, strings.Replace(e.Name(), ".to-fix.", ".result.", 1)))
			continue
		}
		got = append(got, e.Name())
	}
	slices.Sort(wantReports)
	assert.Equal(t, wantReports, got, "one report per readable file, none for rejected ones")
}

// An Excel owner file (~$NAME.xlsx) exists while a workbook is open in
// Excel; `orderdrop validate *.xlsx` picks it up with the real files. It is
// not an order file the user wrote: it should be skipped like the inbox
// skips it (DESIGN §4, the configuration's skip patterns), not reported as
// a damaged workbook to re-save, and it should not turn the exit code to 1.
func TestValidateSkipsExcelLockFile(t *testing.T) {
	tests := []struct {
		name string
		lock func(t *testing.T, dir string) string
	}{
		{"synthetic owner file", func(t *testing.T, dir string) string {
			// An owner file: a length byte, the user name and padding, 165 bytes.
			return vtWriteFile(t, dir, "~$orders.xlsx", "\x05alice"+strings.Repeat("\x00", 159))
		}},
		{"public fixture", func(t *testing.T, _ string) string {
			path := filepath.Join(vtFixtures, "inbox", "~$l2-openpyxl.xlsx")
			if _, err := os.Stat(path); err != nil {
				t.Skip("public fixtures not present")
			}
			return path
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			lock := tt.lock(t, dir)
			out := filepath.Join(dir, "reports")
			var stdout bytes.Buffer
			code, err := runValidate(context.Background(), vtConfig(t, dir), validateOptions{out: out, now: vtNow(t)}, []string{lock}, &stdout)
			require.NoError(t, err)
			assert.Equal(t, ExitOK, code, "got exit %d want 0; stdout: %s", code, stdout.String())
			assert.Contains(t, stdout.String(), lock+": skipped", "got %q", stdout.String())
			assert.NotContains(t, stdout.String(), "not read")
			assert.NoDirExists(t, out, "no report for a lock file")
		})
	}
}

// ORDERDROP_CONFIG names the configuration as --config does: when it names
// a file that does not exist, validate must say so (exit 2), not silently
// validate with the defaults (another fr-port window, all-or-nothing…).
func TestValidateConfigFromEnvMissing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	missing := filepath.Join(dir, "prod.yaml")
	t.Setenv("ORDERDROP_CONFIG", missing)
	in := vtWriteFile(t, dir, "ok.csv", vtL2CSV(vtL2Valid1))
	code, stdout, stderr := vtMain(t, "validate", "-o", filepath.Join(dir, "r"), in)
	assert.Equal(t, ExitUsage, code, "got exit %d want 2; stdout: %s; stderr: %s", code, stdout, stderr)
	assert.Contains(t, stderr, "prod.yaml")

	// The same file through ORDERDROP_CONFIG, once it exists, is used.
	vtWriteFile(t, dir, "prod.yaml", "kinds:\n  l2:\n    all_or_nothing: true\n")
	bad := vtWriteFile(t, dir, "mixed.csv", vtL2CSV(vtL2Valid1, vtL2BadVLN))
	code, stdout, stderr = vtMain(t, "validate", "-o", filepath.Join(dir, "r"), bad)
	assert.Equal(t, ExitAttention, code, "stdout: %s; stderr: %s", stdout, stderr)
	report := vtReadReport(t, filepath.Join(dir, "r", "mixed.result.csv"))
	assert.Contains(t, report[""][2].message, "all-or-nothing", "got %q: the configuration named by ORDERDROP_CONFIG applies", report[""][2].message)
}

// vtL2CSV is a valid l2 CSV (no date: its validity does not depend on the clock).
func vtL2CSV(rows ...string) string {
	header := "client_name;offer_id;option_ids;gtr_contact_ho;gtr_contact_hno;street_number;street_name;zip_code;city;site_contact_name;site_contact_phone;follow_contact_ids;port_ref;site_vlan_mode;port_vlan_mode;delivery_interface;site_vlan\r\n"
	return header + strings.Join(rows, "\r\n") + "\r\n"
}

const (
	vtL2Valid1 = "Cave;2201;41,42;7101;7102;27;Jean Jaurès;33600;Pessac;M R;0536490731;7101;PZ-BDX-ATL1-03;flux non tague;TRANSPARENCE AUX CVLAN (QINQ);1000 Base LX;"
	vtL2Valid2 = "Cave;2201;41;7101;7102;29;Jean Jaurès;33600;Pessac;M R;0536490731;7101;PZ-BDX-ATL1-03;flux  TAGUÉ c-vlan;Flux non tagué;1000 Base LX;42"
	vtL2BadVLN = "Cave;2201;41;7101;7102;31;Jean Jaurès;33600;Pessac;M R;0536490731;7101;PZ-BDX-ATL1-03;Flux non tagué;Flux non tagué;1000 Base LX;4095"
)

func TestValidateExitCodes(t *testing.T) {
	tests := []struct {
		name       string
		files      map[string]string // name → content, written to the temp dir
		args       func(dir string) []string
		want       int
		wantStdout []string
		wantStderr string
	}{
		{
			name:  "only valid rows",
			files: map[string]string{"ok.csv": vtL2CSV(vtL2Valid1, vtL2Valid2)},
			args: func(dir string) []string {
				return []string{"validate", "-o", filepath.Join(dir, "r"), filepath.Join(dir, "ok.csv")}
			},
			want:       ExitOK,
			wantStdout: []string{"ok.csv: 2 rows, 2 not_submitted → " + filepath.Join("DIR", "r", "ok.result.csv")},
		},
		{
			name:  "an invalid row",
			files: map[string]string{"bad.csv": vtL2CSV(vtL2Valid1, vtL2BadVLN)},
			args: func(dir string) []string {
				return []string{"validate", "-o", filepath.Join(dir, "r"), filepath.Join(dir, "bad.csv")}
			},
			want:       ExitAttention,
			wantStdout: []string{"bad.csv: 2 rows, 1 not_submitted, 1 invalid → "},
		},
		{
			name:       "report in the configured reports folder by default",
			files:      map[string]string{"ok.csv": vtL2CSV(vtL2Valid1)},
			args:       func(dir string) []string { return []string{"validate", filepath.Join(dir, "ok.csv")} },
			want:       ExitOK,
			wantStdout: []string{"→ " + filepath.Join("reports", "ok.result.csv")}, // the configuration beside: relative
		},
		{
			name:       "never into the inbox",
			files:      map[string]string{"ok.csv": vtL2CSV(vtL2Valid1)},
			args:       func(dir string) []string { return []string{"validate", "-o", "inbox/", filepath.Join(dir, "ok.csv")} },
			want:       ExitUsage,
			wantStderr: "is the inbox",
		},
		{
			name:       "reports configured as the inbox",
			files:      map[string]string{"ok.csv": vtL2CSV(vtL2Valid1), "orderdrop.yaml": "reports: inbox\n"},
			args:       func(dir string) []string { return []string{"validate", filepath.Join(dir, "ok.csv")} },
			want:       ExitUsage,
			wantStderr: "is the inbox",
		},
		{
			name:  "unreadable file",
			files: map[string]string{"empty.xlsx": ""},
			args: func(dir string) []string {
				return []string{"validate", "-o", filepath.Join(dir, "r"), filepath.Join(dir, "empty.xlsx")}
			},
			want:       ExitAttention,
			wantStdout: []string{"empty.xlsx: not read: "},
		},
		{
			name:  "an attachment is skipped",
			files: map[string]string{"loa.pdf": "%PDF-1.4\n"},
			args: func(dir string) []string {
				return []string{"validate", "-o", filepath.Join(dir, "r"), filepath.Join(dir, "loa.pdf")}
			},
			want:       ExitOK,
			wantStdout: []string{"loa.pdf: skipped: not an order spreadsheet"},
		},
		{
			name:       "missing file",
			args:       func(dir string) []string { return []string{"validate", filepath.Join(dir, "nope.csv")} },
			want:       ExitUsage,
			wantStderr: "nope.csv",
		},
		{
			name:       "no file argument",
			args:       func(string) []string { return []string{"validate"} },
			want:       ExitUsage,
			wantStderr: "requires at least 1 arg",
		},
		{
			name:  "explicit config missing",
			files: map[string]string{"ok.csv": vtL2CSV(vtL2Valid1)},
			args: func(dir string) []string {
				return []string{"--config", filepath.Join(dir, "nope.yaml"), "validate", filepath.Join(dir, "ok.csv")}
			},
			want:       ExitUsage,
			wantStderr: "nope.yaml",
		},
		{
			name:       "online needs a configuration",
			files:      map[string]string{"ok.csv": vtL2CSV(vtL2Valid1)},
			args:       func(dir string) []string { return []string{"validate", "--online", filepath.Join(dir, "ok.csv")} },
			want:       ExitUsage,
			wantStderr: "orderdrop.yaml",
		},
		{
			name:       "bad configuration",
			files:      map[string]string{"ok.csv": vtL2CSV(vtL2Valid1), "orderdrop.yaml": "inbx: typo\n"},
			args:       func(dir string) []string { return []string{"validate", filepath.Join(dir, "ok.csv")} },
			want:       ExitUsage,
			wantStderr: "inbx",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir) // no orderdrop.yaml here unless the case writes one: defaults apply
			t.Setenv("ORDERDROP_CONFIG", "")
			for name, content := range tt.files {
				vtWriteFile(t, dir, name, content)
			}
			code, stdout, stderr := vtMain(t, tt.args(dir)...)
			assert.Equal(t, tt.want, code, "got exit %d want %d; stdout: %s; stderr: %s", code, tt.want, stdout, stderr)
			for _, s := range tt.wantStdout {
				assert.Contains(t, stdout, strings.ReplaceAll(s, "DIR", dir))
			}
			if tt.wantStderr != "" {
				assert.Contains(t, stderr, tt.wantStderr)
			} else {
				assert.Empty(t, stderr)
			}
		})
	}
}

// TestValidateFrPortPinnedClockAllValid: exit 0 on a file whose rows are all
// valid, with the clock pinned (fr-port dates depend on it).
func TestValidateFrPortPinnedClockAllValid(t *testing.T) {
	dir := t.TempDir()
	csvText := "\uFEFFidn;numbers;wanted_date;routing;prefix;customer_name;siret;street;zip_code;city;contact_name;contact_email;contact_phone\r\n" +
		"0261910210;0261910210;22/12/2026 10:00;prefix;010203;Verrerie d'Armor;81234001700027;14 quai de la Douane;29200;Brest;Yvonne Kerjean;y.kerjean@example.com;0673480041\r\n" +
		"0465710300;0465710300-0465710302;06/01/2027 15:00;sip_trunk;040506;Laiterie;79455123800015;2 chemin des Crêts;69590;Saint-Symphorien-sur-Coise;Bertrand C;b@example.com;0465710399\r\n"
	path := vtWriteFile(t, dir, "fr.csv", csvText)
	var stdout bytes.Buffer
	code, err := runValidate(context.Background(), vtConfig(t, dir), validateOptions{out: dir, now: vtNow(t)}, []string{path}, &stdout)
	require.NoError(t, err)
	assert.Equal(t, ExitOK, code, "got exit %d want 0; stdout: %s", code, stdout.String())
	// Both rows' numbers are in no block ARCEP allocated: sent, with a warning.
	assert.Equal(t, strings.Replace(vtSummaryLine("fr.csv", 2, 2, 0, filepath.Join(dir, "fr.result.csv")), " →", ", 2 with warnings →", 1)+"\n", stdout.String())

	// The same file a month later: the dates are too close → invalid, exit 1.
	stdout.Reset()
	code, err = runValidate(context.Background(), vtConfig(t, dir), validateOptions{out: dir, now: vtNow(t).AddDate(0, 0, 28)}, []string{path}, &stdout)
	require.NoError(t, err)
	assert.Equal(t, ExitAttention, code, "stdout: %s", stdout.String())
	assert.Contains(t, stdout.String(), "fr.csv: 2 rows, 1 not_submitted, 1 invalid, 1 with warnings → "+filepath.Join(dir, "fr.result.2.csv"),
		"a second report never overwrites the first")
}

// vtOnlineConfig starts the carrier sandbox and writes a configuration
// pointing the three carriers at it, secrets from the environment.
func vtOnlineConfig(t *testing.T, dir string) (string, *sim.Server) {
	t.Helper()
	s := sim.New(sim.Options{})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	t.Cleanup(s.Close)
	creds := sim.DefaultCredentials()
	t.Setenv("VT_NETWO_KEY", creds.NetwoAPIKey)
	t.Setenv("VT_NETWO_ACTOR", creds.NetwoActorSlug)
	t.Setenv("VT_PRIZZ_EMAIL", creds.PrizzEmail)
	t.Setenv("VT_PRIZZ_PASSWORD", creds.PrizzPassword)
	t.Setenv("VT_THINKTEL_USER", creds.ThinktelUser)
	t.Setenv("VT_THINKTEL_PASSWORD", creds.ThinktelPassword)
	yaml := fmt.Sprintf(`log:
  format: json
carriers:
  netwo:
    base_url: %[1]s/netwo/api/v1
    api_key: ${VT_NETWO_KEY}
    actor_slug: ${VT_NETWO_ACTOR}
    max_attempts: 1
  prizz:
    base_url: %[1]s/prizz
    email: ${VT_PRIZZ_EMAIL}
    password: ${VT_PRIZZ_PASSWORD}
    max_attempts: 1
  thinktel:
    base_url: %[1]s/thinktel/rest.svc
    username: ${VT_THINKTEL_USER}
    password: ${VT_THINKTEL_PASSWORD}
    max_attempts: 1
`, srv.URL)
	return vtWriteFile(t, dir, "orderdrop.yaml", yaml), s
}

// TestValidateOnline checks rows against the sandbox's reference data:
// an unknown Netwo prefix, Prizz delivery port or contact, or Thinktel pilot
// number makes the row invalid naming the column; known ones are valid.
// Nothing is ordered.
func TestValidateOnline(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cfgPath, s := vtOnlineConfig(t, dir)

	fr := func(idn, prefix string) map[string]any {
		// Dates relative to today: Main has no clock flag.
		wanted := vtNextWorkday(time.Now().AddDate(0, 0, 30))
		return map[string]any{"idn": idn, "numbers": idn, "wanted_date": wanted.Format("02/01/2006") + " 10:00", "routing": "prefix", "prefix": prefix,
			"customer_name": "Verrerie d'Armor", "siret": "81234001700027", "street": "14 quai de la Douane", "zip_code": "29200", "city": "Brest",
			"contact_name": "Yvonne Kerjean", "contact_email": "y.kerjean@example.com", "contact_phone": "0673480041"}
	}
	ca := func(numbers, pilot string) map[string]any {
		return map[string]any{"pilot_number": pilot, "numbers": numbers, "customer_name": "Harbourfront", "account_number": "BC-1",
			"street_number": "390", "street_name": "Queens Quay West", "city": "Toronto", "province": "ON", "postal_code": "M5V 3A6",
			"country": "CA", "email": "admin@example.com", "current_provider_id": "311"}
	}
	caOffering := func(numbers, offering string) map[string]any {
		row := ca(numbers, "")
		row["offering_id"] = offering
		return row
	}
	l2 := func(number, port, ho string) map[string]any {
		return map[string]any{"client_name": "Cave", "offer_id": "2201", "option_ids": "41", "gtr_contact_ho": ho, "gtr_contact_hno": "7102",
			"street_number": number, "street_name": "Jean Jaurès", "zip_code": "33600", "city": "Pessac", "site_contact_name": "M R",
			"site_contact_phone": "0536490731", "follow_contact_ids": "7101", "port_ref": port, "site_vlan_mode": "Flux non tagué", "port_vlan_mode": "Flux non tagué",
			"delivery_interface": "1000 Base LX"}
	}
	path := filepath.Join(dir, "online.xlsx")
	vtWriteXLSX(t, path, map[order.Kind][]map[string]any{
		order.FrPort: {fr("0261910210", "070809"), fr("0261910211", "099999")},
		order.CaPort: {ca("4165550120", "5145550100"), ca("4165550121", "6135550100"), caOffering("4165550122", "TT-NOPE")},
		order.L2:     {l2("27", "PZ-PAR-TH2-07", "7105"), l2("29", "PZ-XXX-NOPE-01", "7101"), l2("31", "PZ-BDX-ATL1-03", "7999")},
	})
	tests := []struct {
		sheet      string
		row        int
		wantStatus string
		wantCol    string
	}{
		{"fr-port", 2, "not_submitted", ""},
		{"fr-port", 3, "invalid", "prefix"},
		{"ca-port", 2, "not_submitted", ""},
		{"ca-port", 3, "invalid", "pilot_number"},
		{"ca-port", 4, "invalid", "offering_id"},
		{"l2", 2, "not_submitted", ""},
		{"l2", 3, "invalid", "port_ref"},
		{"l2", 4, "invalid", "gtr_contact_ho"},
	}

	// Offline, every row is valid: the online checks are what flag them.
	offline := filepath.Join(dir, "offline")
	code, stdout, stderr := vtMain(t, "--config", cfgPath, "validate", "-o", offline, path)
	require.Equal(t, ExitOK, code, "offline: got exit %d want 0; stdout: %s; stderr: %s", code, stdout, stderr)

	online := filepath.Join(dir, "online")
	code, stdout, stderr = vtMain(t, "--config", cfgPath, "validate", "--online", "-o", online, path)
	require.Equal(t, ExitAttention, code, "online: got exit %d want 1; stdout: %s; stderr: %s", code, stdout, stderr)
	// A valid fr-port row's numbers are in no block ARCEP allocated: a warning.
	assert.Equal(t, strings.Replace(vtSummaryLine("online.xlsx", 8, 3, 5, filepath.Join(online, "online.result.xlsx")), " →", ", 1 with warnings →", 1)+"\n", stdout)
	for _, secret := range []string{"sim-netwo-key", "sim-prizz-password", "sim-thinktel-password"} {
		assert.NotContains(t, stdout+stderr, secret, "secrets never reach the output")
	}

	report := vtReadReport(t, filepath.Join(online, "online.result.xlsx"))
	for _, tt := range tests {
		row, ok := report[tt.sheet][tt.row]
		require.True(t, ok, "sheet %s row %d missing", tt.sheet, tt.row)
		assert.Equal(t, tt.wantStatus, row.status, "sheet %s row %d: got %s (%s) want %s", tt.sheet, tt.row, row.status, row.message, tt.wantStatus)
		if tt.wantCol != "" {
			assert.Contains(t, row.message, tt.wantCol+":", "sheet %s row %d: got %q want it to name %s", tt.sheet, tt.row, row.message, tt.wantCol)
		}
	}
	assert.Empty(t, s.Orders(), "validate --online is read-only: the sandbox must have no order")
}

// validate --online checks current_provider_id against Thinktel's
// losing-carrier list (GET /NumberPorts/Providers): an unknown provider is
// caught before submission, where Thinktel would refuse it.
func TestValidateOnlineUnknownThinktelProvider(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cfgPath, _ := vtOnlineConfig(t, dir)
	in := vtWriteFile(t, dir, "ca.csv",
		"pilot_number;numbers;customer_name;account_number;street_number;street_name;city;province;postal_code;country;email;current_provider_id\r\n"+
			"4165550100;4165550120;Harbourfront;BC-1;390;Queens Quay West;Toronto;ON;M5V 3A6;CA;admin@example.com;311\r\n"+
			"4165550100;4165550121;Harbourfront;BC-1;390;Queens Quay West;Toronto;ON;M5V 3A6;CA;admin@example.com;999\r\n")
	out := filepath.Join(dir, "r")
	code, stdout, stderr := vtMain(t, "--config", cfgPath, "validate", "--online", "-o", out, in)
	assert.Equal(t, ExitAttention, code, "got exit %d want 1; stdout: %s; stderr: %s", code, stdout, stderr)
	report := vtReadReport(t, filepath.Join(out, "ca.result.csv"))
	assert.Equal(t, "not_submitted", report[""][2].status, "provider 311 (Bell Canada) is known: %s", report[""][2].message)
	assert.Equal(t, "invalid", report[""][3].status, "got %s (%s) want invalid: 999 is not a Thinktel provider", report[""][3].status, report[""][3].message)
	assert.Contains(t, report[""][3].message, "current_provider_id:")
}

// An unreachable carrier makes validate --online fail as a whole (exit 3),
// not silently validate offline.
func TestValidateOnlineCarrierDown(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	srv := httptest.NewServer(sim.New(sim.Options{}))
	url := srv.URL
	srv.Close() // nothing listens there any more
	t.Setenv("VT_KEY", "k")
	cfgPath := vtWriteFile(t, dir, "od.yaml", fmt.Sprintf("carriers:\n  netwo:\n    base_url: %s/netwo/api/v1\n    api_key: ${VT_KEY}\n    actor_slug: ${VT_KEY}\n    max_attempts: 1\n    connect_timeout: 1s\n    timeout: 2s\n", url))
	in := vtWriteFile(t, dir, "ok.csv", vtL2CSV(vtL2Valid1))
	code, stdout, stderr := vtMain(t, "--config", cfgPath, "validate", "--online", "-o", filepath.Join(dir, "r"), in)
	assert.Equal(t, ExitFatal, code, "got exit %d want 3; stdout: %s; stderr: %s", code, stdout, stderr)
	assert.Contains(t, stderr, "could not read Netwo's portability prefixes")
	assert.NoDirExists(t, filepath.Join(dir, "r"))
}

// vtNextWorkday returns d, or the next French working day after it
// (weekends and public holidays excluded, as the fr-port window counts).
func vtNextWorkday(d time.Time) time.Time {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(fr.Holidays...)
	for !c.IsWorkday(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

const vtHyperlink = `=HYPERLINK("http://x","y")`

// TestValidateReportFormulaSafetyCSV: a formula typed in a CSV input is
// defused in the CSV report (leading ').
func TestValidateReportFormulaSafetyCSV(t *testing.T) {
	dir := t.TempDir()
	in := vtWriteFile(t, dir, "evil.csv",
		"idn;numbers;wanted_date;routing;prefix;customer_name;siret;street;zip_code;city;contact_name;contact_email;contact_phone\r\n"+
			`0261910210;0261910210;22/12/2026 10:00;prefix;010203;"=HYPERLINK(""http://x"",""y"")";81234001700027;14 quai;29200;Brest;@SUM(A1);y@k.example;+33673480041`+"\r\n")
	out := filepath.Join(dir, "r")
	var stdout bytes.Buffer
	_, err := runValidate(context.Background(), vtConfig(t, dir), validateOptions{out: out, now: vtNow(t)}, []string{in}, &stdout)
	require.NoError(t, err)

	b, err := os.ReadFile(filepath.Join(out, "evil.result.csv"))
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("\uFEFF")), "CSV report starts with a BOM")
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 2)
	header := recs[0]
	get := func(col string) string { return recs[1][slices.Index(header, col)] }
	assert.Equal(t, "'"+vtHyperlink, get("customer_name"), "got %q want the formula defused with a leading '", get("customer_name"))
	assert.Equal(t, "'@SUM(A1)", get("contact_name"))
	assert.Equal(t, "'+33673480041", get("contact_phone"))
	for i, cell := range recs[1] {
		assert.False(t, cell != "" && strings.ContainsRune("=+-@", rune(cell[0])), "column %s: got %q, a cell a spreadsheet would run", header[i], cell)
	}
}

// TestValidateReportFormulaSafetyXLSX: a formula-looking text in an XLSX
// input is a plain string cell in the XLSX report, never a formula.
func TestValidateReportFormulaSafetyXLSX(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "evil.xlsx")
	vtWriteXLSX(t, in, map[order.Kind][]map[string]any{order.L2: {{
		"client_name": vtHyperlink, "offer_id": "2201", "gtr_contact_ho": "7101", "gtr_contact_hno": "7102", "street_name": "-1+2",
		"zip_code": "33600", "city": "Pessac", "site_contact_name": "@SUM(A1)", "site_contact_phone": "0536490731", "follow_contact_ids": "7101", "port_ref": "PZ-BDX-ATL1-03",
		"site_vlan_mode": "Flux non tagué", "port_vlan_mode": "Flux non tagué", "delivery_interface": "1000 Base LX", "comment": "+cmd|' /C calc'!A0",
	}}})
	out := filepath.Join(dir, "r")
	var stdout bytes.Buffer
	code, err := runValidate(context.Background(), vtConfig(t, dir), validateOptions{out: out, now: vtNow(t)}, []string{in}, &stdout)
	require.NoError(t, err)
	assert.Equal(t, ExitOK, code, "stdout: %s", stdout.String())

	f, err := excelize.OpenFile(filepath.Join(out, "evil.result.xlsx"))
	require.NoError(t, err)
	defer f.Close()
	header := vtColumnNames(order.L2)
	for _, tc := range []struct{ col, want string }{
		{"client_name", vtHyperlink}, {"street_name", "-1+2"}, {"site_contact_name", "@SUM(A1)"}, {"comment", "+cmd|' /C calc'!A0"},
	} {
		cell, err := excelize.CoordinatesToCellName(slices.Index(header, tc.col)+1, 2)
		require.NoError(t, err)
		typ, err := f.GetCellType("l2", cell)
		require.NoError(t, err)
		assert.Contains(t, []excelize.CellType{excelize.CellTypeInlineString, excelize.CellTypeSharedString}, typ,
			"%s (%s): got cell type %v want a string cell", tc.col, cell, typ)
		formula, err := f.GetCellFormula("l2", cell)
		require.NoError(t, err)
		assert.Empty(t, formula, "%s (%s): got formula %q want none", tc.col, cell, formula)
		v, err := f.GetCellValue("l2", cell)
		require.NoError(t, err)
		assert.Equal(t, tc.want, v, "%s: the value is kept as typed", tc.col)
	}
}
