package order

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// loaResult is the outcome of reading one loa_file, cached per Parse.
type loaResult struct {
	att *Attachment
	err error
}

// bareFileName checks that name is a plain file name: no folder, no "..".
func bareFileName(name string) error {
	if name == "." || name == ".." || strings.Contains(name, "..") || strings.ContainsAny(name, `/\:`) || filepath.Base(name) != name {
		return fmt.Errorf("%s must be a bare file name (no folder, no ..), of a file dropped beside the spreadsheet", name)
	}
	return nil
}

// attachment reads the file named by a row from the attachment folder.
func (v *validator) attachment(name string) (*Attachment, error) {
	v.loasMu.Lock() // rows are checked on several goroutines
	defer v.loasMu.Unlock()
	if r, ok := v.loas[name]; ok {
		return r.att, r.err
	}
	att, err := v.readAttachment(name)
	v.loas[name] = loaResult{att, err}
	return att, err
}

func (v *validator) readAttachment(name string) (*Attachment, error) {
	if err := bareFileName(name); err != nil {
		return nil, err
	}
	if v.opts.AttachmentDir == "" {
		return nil, fmt.Errorf("%s can't be read: no attachment folder is set", name)
	}
	root, err := os.OpenRoot(v.opts.AttachmentDir)
	if err != nil {
		return nil, fmt.Errorf("%s can't be read: %w", name, err)
	}
	defer root.Close()
	f, err := root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s is not in the inbox; drop it beside the spreadsheet", name)
	}
	if err != nil {
		return nil, attachmentError(name, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, attachmentError(name, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	limit := v.opts.maxAttachment()
	content, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, attachmentError(name, err)
	}
	if int64(len(content)) > limit {
		return nil, fmt.Errorf("%s is larger than the %d-byte limit", name, limit)
	}
	if len(content) == 0 {
		return nil, fmt.Errorf("%s is empty", name)
	}
	ctype := contentType(name, content)
	if ctype == "application/pdf" && !bytes.HasPrefix(content, []byte("%PDF-")) {
		return nil, fmt.Errorf("%s is named .pdf but is not a PDF file", name)
	}
	return &Attachment{FileName: name, ContentType: ctype, Content: content}, nil
}

// attachmentError says why the attachment name can't be read; a
// permission problem says what to do.
func attachmentError(name string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%s can't be read: permission denied — give orderdrop's user read access to it", name)
	}
	return fmt.Errorf("%s can't be read: %w", name, err)
}

// contentType picks a MIME type from the extension, else by sniffing.
func contentType(name string, content []byte) string {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".pdf" {
		return "application/pdf"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		t, _, _ = strings.Cut(t, ";")
		return t
	}
	t, _, _ := strings.Cut(http.DetectContentType(content), ";")
	return t
}
