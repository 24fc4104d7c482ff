package sheet

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Open reads the spreadsheet at path into a Workbook.
//
// The format is found from the content, not the name: a zip is read as XLSX,
// an OLE2 file is refused (ErrOldExcel, or ErrEncrypted for a password-
// protected workbook), and anything else is read as CSV when the name ends
// in .csv, .txt or .tsv (ErrNotSpreadsheet otherwise). File-level problems
// come back as errors wrapping one of the package's sentinels, with a message
// naming the file's base name and saying what to do; cell-level problems
// (a formula without a saved value) are reported in Record.Problems.
//
// Open never panics: a panic while decoding is returned as ErrDamaged.
func Open(path string, opts Options) (wb *Workbook, err error) {
	opts = opts.withDefaults()
	base := filepath.Base(path)
	defer func() {
		if r := recover(); r != nil {
			wb, err = nil, damaged(base, fmt.Errorf("unexpected content: %v", r))
		}
	}()

	st, err := os.Stat(path)
	if err != nil {
		return nil, openError(base, err)
	}
	if err := checkInput(st, base, opts); err != nil {
		return nil, err
	}
	file, err := openInput(path)
	if err != nil {
		return nil, openError(base, err)
	}
	defer file.Close()
	head := make([]byte, len(ole2Magic))
	n, err := io.ReadFull(file, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, openError(base, err)
	}
	if detect(head[:n], base) == kindText {
		// Text is read as it is parsed, not held whole.
		wb = &Workbook{Path: path, Format: CSV}
		if _, err := file.Seek(0, io.SeekStart); err != nil {
			return nil, openError(base, err)
		}
		var t *Table
		t, wb.Delimiter, wb.Encoding, wb.SHA256, err = readCSVFile(file, base, opts)
		if err != nil {
			return nil, err
		}
		wb.Sheets = []*Table{t}
		return wb, nil
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return nil, openError(base, err)
	}
	var whole bytes.Buffer
	whole.Grow(int(st.Size()) + bytes.MinRead)
	if _, err := whole.ReadFrom(file); err != nil {
		return nil, openError(base, err)
	}
	data := whole.Bytes()
	wb = &Workbook{Path: path, SHA256: opts.SHA256}
	if wb.SHA256 == "" {
		h := newHash()
		h.Write(data)
		wb.SHA256 = hex.EncodeToString(h.Sum(nil))
	}

	switch detect(data, base) {
	case kindZip:
		wb.Format = XLSX
		wb.Sheets, err = readXLSX(data, base, opts)
	case kindOLE2:
		if isEncryptedOOXML(data) {
			return nil, newFileError(ErrEncrypted, nil,
				"%s is password-protected: open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password, leave it empty) and save it again", base)
		}
		return nil, newFileError(ErrOldExcel, nil,
			"%s is an old Excel 97-2003 (.xls) workbook: open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook)", base)
	default:
		ext := strings.ToLower(filepath.Ext(base))
		if ext == ".xlsx" || ext == ".xlsm" {
			if len(data) == 0 {
				return nil, damaged(base, fmt.Errorf("the file is empty"))
			}
			return nil, newFileError(ErrNotSpreadsheet, nil,
				"%s is named %s but is not an Excel workbook: open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook)", base, ext)
		}
		return nil, newFileError(ErrNotSpreadsheet, nil,
			"%s is not a spreadsheet orderdrop can read: save it as .xlsx (Excel Workbook) or .csv", base)
	}
	if err != nil {
		return nil, err
	}
	return wb, nil
}

// checkInput refuses a folder and a file larger than opts.MaxUnzipSize.
func checkInput(st os.FileInfo, base string, opts Options) error {
	if st.IsDir() {
		return newFileError(ErrNotSpreadsheet, nil, "%s is a folder, not a spreadsheet", base)
	}
	if st.Size() > opts.MaxUnzipSize {
		return newFileError(ErrTooLarge, nil,
			"%s is too large (%d bytes, the limit is %d): split it into smaller files", base, st.Size(), opts.MaxUnzipSize)
	}
	return nil
}

// openError is the error for a file that cannot be opened or read: a
// permission problem says so and what to do (wrapping ErrUnreadable and
// fs.ErrPermission), anything else is wrapped with the file's name.
func openError(base string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return &fileError{msg: fmt.Sprintf("cannot read %s: permission denied — give orderdrop's user read access to it", base),
			sentinel: ErrUnreadable, cause: err}
	}
	return fmt.Errorf("read %s: %w", base, err)
}
