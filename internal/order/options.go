package order

import (
	"fmt"
	"time"
)

// Options tune validation. The zero value validates offline, with the
// default French porting window, the current time and no attachments.
type Options struct {
	Now           time.Time  // validation clock; zero = time.Now()
	FrWindow      FrWindow   // regulatory window for fr-port wanted_date
	AttachmentDir string     // folder where loa_file is looked up; "" = loa_file can't be read → invalid
	MaxAttachment int64      // largest loa_file accepted, in bytes; 0 = 10 MiB
	Reference     *Reference // carrier reference data for --online checks; nil = offline (skip those checks)
	// Checks sets the severity of named domain checks; a check it does
	// not name (nil = none) has its default (DefaultSeverity).
	Checks map[Check]Severity
}

// DefaultMaxAttachment is the loa_file size limit when Options.MaxAttachment is 0.
const DefaultMaxAttachment = 10 << 20

// FrWindow is the regulatory window for a French port's wanted_date: at least
// MinWorkingDays French working days after today (weekends and public
// holidays excluded), at most MaxDays calendar days after today, on a working
// day, at a Paris time inside one of Hours.
type FrWindow struct {
	Disabled       bool        // skip the window check (the date must still be readable)
	MinWorkingDays int         // 0 = 6
	MaxDays        int         // 0 = 89
	Hours          []HourRange // nil = 08:00-12:00 and 14:00-17:00
}

// HourRange is a range of Paris wall-clock minutes, both ends included:
// with {"14:00", "17:00"}, 17:00 is allowed and 17:01 is not.
type HourRange struct{ From, To string }

// Reference is the carrier reference data used by online checks. A nil map
// (or slice) means "not checked".
type Reference struct {
	FrPrefixes  map[string]string // 6-digit prefix_hosting resource → prefix_service_id
	CaTrunks    map[int64]bool    // SIP trunk pilot numbers
	CaOfferings map[string]int    // OfferingID → Type 1..7
	CaProviders map[int32]string  // losing-carrier provider ID → name
	L2Contacts  map[int]bool      // operator contact ids
	L2Ports     map[string]bool   // delivery port codes (refPorte)
	L2Offers    map[int][]int     // offer id → allowed option ids
	// Carrier is how messages name the carrier of each kind, its
	// registration's Title.
	Carrier map[Kind]string
}

// window is a FrWindow with defaults applied and hours parsed to minutes.
type window struct {
	disabled bool
	minWork  int
	maxDays  int
	hours    [][2]int // minute of day, both ends included
	label    string   // "08:00–12:00 / 14:00–17:00"
}

// Validate reports whether the window's settings are usable.
func (w FrWindow) Validate() error {
	_, err := w.compile()
	return err
}

func (w FrWindow) compile() (window, error) {
	out := window{disabled: w.Disabled, minWork: w.MinWorkingDays, maxDays: w.MaxDays}
	if out.minWork == 0 {
		out.minWork = 6
	}
	if out.maxDays == 0 {
		out.maxDays = 89
	}
	if out.minWork < 0 || out.maxDays < 0 {
		return out, fmt.Errorf("fr window: working days and max days must not be negative")
	}
	hours := w.Hours
	if hours == nil {
		hours = []HourRange{{"08:00", "12:00"}, {"14:00", "17:00"}}
	}
	for i, h := range hours {
		from, err := parseClock(h.From)
		if err != nil {
			return out, fmt.Errorf("fr window: hours[%d].from: %w", i, err)
		}
		to, err := parseClock(h.To)
		if err != nil {
			return out, fmt.Errorf("fr window: hours[%d].to: %w", i, err)
		}
		if to < from {
			return out, fmt.Errorf("fr window: hours[%d]: %s is before %s", i, h.To, h.From)
		}
		out.hours = append(out.hours, [2]int{from, to})
		if out.label != "" {
			out.label += " / "
		}
		out.label += fmt.Sprintf("%s–%s", fmtClock(from), fmtClock(to))
	}
	return out, nil
}

// parseClock reads "HH:MM" (or "H:MM") as a minute of the day.
func parseClock(s string) (int, error) {
	var h, m int
	var rest string
	n, _ := fmt.Sscanf(s, "%d:%d%s", &h, &m, &rest)
	if n != 2 || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("%q is not a time HH:MM", s)
	}
	return h*60 + m, nil
}

func fmtClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

func (o Options) maxAttachment() int64 {
	if o.MaxAttachment <= 0 {
		return DefaultMaxAttachment
	}
	return o.MaxAttachment
}
