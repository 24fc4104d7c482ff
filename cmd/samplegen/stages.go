package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// simTrack is one order of the sandbox's GET /_sim/track.
type simTrack struct {
	Carrier   string `json:"carrier"`
	Reference string `json:"reference"`
	Stage     string `json:"stage"`
}

// demoStages pushes the sandbox's orders through stages for `make demo`,
// through its control endpoint POST /_sim/track. Step 1: the first
// Thinktel port-in is confirmed with a date, the second rejected, the
// Prizz link and the first Netwo port scheduled. Step 2: the first port-in
// and the Netwo port are completed. It prints what it pushed.
func demoStages(base string, step int) error {
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "/_sim/track")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var tracks []simTrack
	if err := json.NewDecoder(resp.Body).Decode(&tracks); err != nil {
		return fmt.Errorf("read /_sim/track: %w", err)
	}
	byCarrier := map[string][]string{}
	for _, t := range tracks {
		byCarrier[t.Carrier] = append(byCarrier[t.Carrier], t.Reference)
	}
	day := func(days int) string { return time.Now().AddDate(0, 0, days).Format(time.DateOnly) }
	type push struct {
		carrier      string
		i            int // which of the carrier's orders, oldest first
		stage        string
		date, reason string
	}
	var plan []push
	switch step {
	case 1:
		plan = []push{
			{"thinktel", 0, "scheduled", day(7), ""},
			{"thinktel", 1, "rejected", "", "End user name does not match the losing carrier's records"},
			{"prizz", 0, "scheduled", day(14), ""},
			{"netwo", 0, "scheduled", day(10), ""},
		}
	case 2:
		plan = []push{{"thinktel", 0, "completed", day(0), ""}, {"netwo", 0, "completed", day(0), ""}}
	default:
		return fmt.Errorf("step %d: want 1 or 2", step)
	}
	for _, p := range plan {
		refs := byCarrier[p.carrier]
		if p.i >= len(refs) {
			continue
		}
		body, _ := json.Marshal(map[string]string{"reference": refs[p.i], "stage": p.stage, "date": p.date, "reason": p.reason})
		r, err := c.Post(base+"/_sim/track", "application/json", bytes.NewReader(body))
		if err != nil {
			return err
		}
		msg, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusOK {
			return fmt.Errorf("push %s %s to %s: HTTP %d %s", p.carrier, refs[p.i], p.stage, r.StatusCode, msg)
		}
		fmt.Printf("sandbox: %s %s → %s %s\n", p.carrier, refs[p.i], p.stage, p.date)
	}
	return nil
}
