package display

import (
	"fmt"
	"testing"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "orders-2026.xlsx", "orders-2026.xlsx"},
		{"accents kept", "Société Générale – Lyon", "Société Générale – Lyon"},
		{"right-to-left override", "invoice\u202Egpj.xlsx", "invoice\uFFFDgpj.xlsx"},
		{"isolates", "a\u2066b\u2069c", "a\uFFFDb\uFFFDc"},
		{"marks", "a\u200Eb\u200Fc\u061Cd", "a\uFFFDb\uFFFDc\uFFFDd"},
		{"crlf one space", "Adresse\r\nintrouvable", "Adresse introuvable"},
		{"lone cr and lf", "a\rb\nc", "a b c"},
		{"tab", "a\tb", "a b"},
		{"escape", "red\x1b[31mtext", "red\uFFFD[31mtext"},
		{"c1 control", "a\u0085b", "a\uFFFDb"},
		{"line separator", "a\u2028b", "a\uFFFDb"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLineCleanDoesNotAllocate(t *testing.T) {
	s := "Société Générale – orders.xlsx"
	if n := testing.AllocsPerRun(100, func() { _ = Line(s) }); n != 0 {
		t.Errorf("Line of clean text allocated %v times, want 0", n)
	}
}

func ExampleLine() {
	fmt.Println(Line("Adresse introuvable\r\n\u202Etxt.exe"))
	// Output: Adresse introuvable �txt.exe
}
