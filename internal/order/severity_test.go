package order

import "testing"

func TestFlagFollowsTheConfiguredSeverity(t *testing.T) {
	tests := []struct {
		name         string
		checks       map[Check]Severity
		wantProblems int
		wantWarnings int
	}{
		{"default error", nil, 1, 0},
		{"set to warning", map[Check]Severity{CheckRIO: SeverityWarning}, 0, 1},
		{"set to off", map[Check]Severity{CheckRIO: SeverityOff}, 0, 0},
		{"another check set", map[Check]Severity{CheckFrAddress: SeverityOff}, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &validator{opts: Options{Checks: tt.checks}}
			chk := &checker{}
			v.flag(chk, CheckRIO, "rio", "the check key does not match")
			if got := len(chk.problems); got != tt.wantProblems {
				t.Errorf("problems = %d, want %d", got, tt.wantProblems)
			}
			if got := len(chk.warnings); got != tt.wantWarnings {
				t.Errorf("warnings = %d, want %d", got, tt.wantWarnings)
			}
			if got, want := v.enabled(CheckRIO), tt.checks[CheckRIO] != SeverityOff; got != want {
				t.Errorf("enabled = %v, want %v", got, want)
			}
		})
	}
}

func TestMessageListsWarningsAfterProblems(t *testing.T) {
	r := RowResult{Warnings: []Problem{{Column: "numbers", Why: "01 99 00 31 00 is in no block"}}, Notes: []string{"idn: leading zero restored"}}
	if got, want := r.Message(), "warning: numbers: 01 99 00 31 00 is in no block; idn: leading zero restored"; got != want {
		t.Errorf("Message() = %q, want %q", got, want)
	}
}

func TestEveryCheckHasADefault(t *testing.T) {
	for _, c := range Checks() {
		if _, err := ParseSeverity(string(DefaultSeverity(c))); err != nil {
			t.Errorf("check %s: default %q: %v", c, DefaultSeverity(c), err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal) = nil error, want one")
	}
}
