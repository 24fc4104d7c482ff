package sheet

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// Identify reads the file at path once and returns the hex SHA-256 of its
// content and its format as Open finds it from the first bytes: XLSX for a
// zip, CSV for anything else (Open then says whether it really is one). A
// caller that passes sum on as Options.SHA256 spares Open and CountColumn
// hashing the file again.
func Identify(path string) (sum string, format Format, err error) {
	base := filepath.Base(path)
	f, err := openInput(path)
	if err != nil {
		return "", CSV, openError(base, err)
	}
	defer f.Close()
	h := newHash()
	head := make([]byte, len(zipMagic))
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", CSV, openError(base, err)
	}
	h.Write(head[:n])
	if _, err := io.Copy(h, f); err != nil {
		return "", CSV, openError(base, err)
	}
	format = CSV
	if bytes.Equal(head[:n], zipMagic) {
		format = XLSX
	}
	return hex.EncodeToString(h.Sum(nil)), format, nil
}

// Tests count how often this package opens and hashes an input; nil = no
// count.
var (
	onOpenInput func(path string)
	onHash      func()
)

// openInput opens an input file for reading: every read of an input by
// Identify, CountColumn and Open starts here.
func openInput(path string) (*os.File, error) {
	if onOpenInput != nil {
		onOpenInput(path)
	}
	return os.Open(path)
}

// newHash is the SHA-256 of an input's content: every hash of an input
// starts here.
func newHash() hash.Hash {
	if onHash != nil {
		onHash()
	}
	return sha256.New()
}
