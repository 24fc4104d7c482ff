package sheet

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// maxMetaPart bounds the size of the small XML parts read whole
// (relationships, workbook.xml).
const maxMetaPart = 16 << 20

// zipIndex is an XLSX package opened with archive/zip.
type zipIndex struct {
	files map[string]*zip.File // by part name, without a leading "/"
}

// newZipIndex indexes the parts of zr.
func newZipIndex(zr *zip.Reader) *zipIndex {
	idx := &zipIndex{files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		idx.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	return idx
}

// find returns the part named name, matching case-insensitively as Office does.
func (z *zipIndex) find(name string) *zip.File {
	if f, ok := z.files[name]; ok {
		return f
	}
	for n, f := range z.files {
		if strings.EqualFold(n, name) {
			return f
		}
	}
	return nil
}

// readSmall reads a whole part of at most maxMetaPart bytes.
func readSmall(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxMetaPart+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Name, err)
	}
	if len(b) > maxMetaPart {
		return nil, fmt.Errorf("part %s is larger than %d bytes", f.Name, maxMetaPart)
	}
	return b, nil
}

// xmlRels is a relationships part.
type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// xmlWorkbook is the part of workbook.xml that lists the sheets.
type xmlWorkbook struct {
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// sheetParts maps each sheet name to its worksheet part name, following
// _rels/.rels → workbook.xml → its relationships. ok is false when the
// package has no workbook (a zip that is not a spreadsheet).
func (z *zipIndex) sheetParts() (parts map[string]string, ok bool, err error) {
	wbPath := "xl/workbook.xml"
	if f := z.find("_rels/.rels"); f != nil {
		var rels xmlRels
		b, err := readSmall(f)
		if err != nil {
			return nil, false, err
		}
		if err := xml.Unmarshal(b, &rels); err != nil {
			return nil, false, fmt.Errorf("parse _rels/.rels: %w", err)
		}
		for _, r := range rels.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPath = resolvePart("", r.Target)
			}
		}
	}
	wf := z.find(wbPath)
	if wf == nil {
		return nil, false, nil
	}
	b, err := readSmall(wf)
	if err != nil {
		return nil, true, err
	}
	var wb xmlWorkbook
	if err := xml.Unmarshal(b, &wb); err != nil {
		return nil, true, fmt.Errorf("parse %s: %w", wbPath, err)
	}
	targets := map[string]string{}
	relsPath := path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")
	if rf := z.find(relsPath); rf != nil {
		b, err := readSmall(rf)
		if err != nil {
			return nil, true, err
		}
		var rels xmlRels
		if err := xml.Unmarshal(b, &rels); err != nil {
			return nil, true, fmt.Errorf("parse %s: %w", relsPath, err)
		}
		for _, r := range rels.Rels {
			if strings.HasSuffix(r.Type, "/worksheet") {
				targets[r.ID] = resolvePart(path.Dir(wbPath), r.Target)
			}
		}
	}
	parts = map[string]string{}
	for _, s := range wb.Sheets {
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				if t, ok := targets[a.Value]; ok {
					parts[s.Name] = t
				}
			}
		}
	}
	return parts, true, nil
}

// resolvePart turns a relationship target into a part name: an absolute
// target ("/xl/worksheets/sheet1.xml") is taken from the package root, a
// relative one from dir.
func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join(dir, target)), "/")
}

// openPackage opens the zip of an XLSX file (Open and CountColumn alike):
// it refuses a damaged zip, one that unzips past opts.MaxUnzipSize and one
// that is not a workbook, and returns its parts and the part of each
// worksheet by sheet name.
func openPackage(r io.ReaderAt, size int64, base string, opts Options) (*zipIndex, map[string]string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, damaged(base, err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > uint64(opts.MaxUnzipSize) {
		return nil, nil, newFileError(ErrTooLarge, nil,
			"%s unzips to %d bytes, the limit is %d: split it into smaller files", base, total, opts.MaxUnzipSize)
	}
	idx := newZipIndex(zr)
	parts, ok, err := idx.sheetParts()
	if err != nil {
		return nil, nil, damaged(base, err)
	}
	if !ok {
		return nil, nil, newFileError(ErrNotSpreadsheet, nil,
			"%s is a zip archive but not an Excel workbook: save it as .xlsx (Excel Workbook) or .csv", base)
	}
	return idx, parts, nil
}
