package main

import (
	"archive/zip"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orderdrop/orderdrop/internal/order"
	"github.com/orderdrop/orderdrop/internal/sheet"
)

// TestBenchFiles: every bench file reads back with the expected rows, every
// row valid (so that `orderdrop run` submits them all), and the XLSX is laid
// out as Excel writes it: text in the shared-strings table, none inline.
func TestBenchFiles(t *testing.T) {
	const rows = 40
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, paris)
	for _, kind := range []string{"fr-port", "ca-port", "l2"} {
		for _, format := range benchFormats {
			name := fmt.Sprintf("%s-%s", kind, format)
			path := filepath.Join(t.TempDir(), name+"."+strings.TrimSuffix(format, "-fr"))
			if err := benchFile(path, kind, format, 1000, rows, now); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			wb, err := sheet.Open(path, sheet.Options{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			tab := wb.Sheets[0]
			if got := len(tab.Records); got != rows {
				t.Errorf("%s: got %d rows, want %d", name, got, rows)
			}
			k, err := order.DetectKind(tab.Name, tab.Header)
			if err != nil || string(k) != kind {
				t.Fatalf("%s: detected %q (%v), want %s", name, k, err, kind)
			}
			res := order.Parse(tab, k, order.Options{Now: now})
			if got := len(res.Orders); got != rows {
				t.Errorf("%s: got %d valid orders, want %d (first row: %v)", name, got, rows, res.Rows[0].Problems)
			}
			if format == "csv-fr" && wb.Encoding != sheet.EncodingWindows1252 {
				t.Errorf("%s: got encoding %s, want %s", name, wb.Encoding, sheet.EncodingWindows1252)
			}
			if format == "xlsx" {
				checkSharedStrings(t, path)
			}
		}
	}
}

func checkSharedStrings(t *testing.T, path string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	parts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = string(b)
	}
	sheetXML := parts["xl/worksheets/sheet1.xml"]
	if !strings.Contains(sheetXML, `t="s"`) || strings.Contains(sheetXML, "inlineStr") {
		t.Errorf("%s: want text cells referencing shared strings, none inline", path)
	}
	if !strings.Contains(parts["xl/sharedStrings.xml"], "<si><t>") {
		t.Errorf("%s: no shared-strings table", path)
	}
}
