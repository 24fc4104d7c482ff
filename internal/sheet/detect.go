package sheet

import (
	"bytes"
	"path/filepath"
	"strings"
)

// kind is what a file's content says it is.
type kind int

const (
	kindUnknown kind = iota
	kindZip          // an OOXML package (XLSX) or another zip
	kindOLE2         // an old .xls, or an encrypted OOXML workbook
	kindText         // no binary signature, named .csv or .txt
)

var (
	zipMagic  = []byte("PK\x03\x04")
	ole2Magic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
)

// detect tells a file's kind from its first bytes and, for text, its name.
func detect(data []byte, name string) kind {
	switch {
	case bytes.HasPrefix(data, zipMagic):
		return kindZip
	case bytes.HasPrefix(data, ole2Magic[:4]):
		return kindOLE2
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt", ".tsv":
		return kindText
	}
	return kindUnknown
}

// isEncryptedOOXML reports whether an OLE2 file holds the streams of a
// password-protected OOXML workbook. Directory entry names are UTF-16LE;
// a byte search over the whole file is enough.
func isEncryptedOOXML(data []byte) bool {
	for _, name := range []string{"EncryptionInfo", "EncryptedPackage"} {
		if bytes.Contains(data, utf16le(name)) || bytes.Contains(data, []byte(name)) {
			return true
		}
	}
	return false
}

// utf16le encodes an ASCII string as UTF-16LE bytes.
func utf16le(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}
