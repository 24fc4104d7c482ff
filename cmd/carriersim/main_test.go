package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orderdrop/orderdrop/internal/carrier/netwo"
	"github.com/orderdrop/orderdrop/internal/carrier/prizz"
	"github.com/orderdrop/orderdrop/internal/carrier/thinktel"
	"github.com/orderdrop/orderdrop/internal/config"
	"github.com/orderdrop/orderdrop/internal/sim"
)

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--seed", "3", "--log-level", "warn"}, pw)
		pw.Close()
	}()

	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "carriersim listening on ")
	require.True(t, ok, "got line %q", line)
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+$`, base)
	go func() { _, _ = io.Copy(io.Discard, pr) }() // nothing else is expected, but never block run

	resp, err := http.Get(base + "/_sim/health")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "ok", string(body))

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestRunReleasesHungHandlersOnShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--rate-hang-after-create", "1", "--hang", "0", "--log-level", "error"}, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base := strings.TrimPrefix(strings.TrimSpace(line), "carriersim listening on ")

	req, err := http.NewRequest("POST", base+"/thinktel/rest.svc/v2/NumberPorts/Inbound/DIDs",
		strings.NewReader(`{"PilotNumber":4165550100,"DIDs":[{"Number":4165550120}],"PortForm":{"CustomerName":"A","CustomerAccountNumber":"1",`+
			`"CustomerStreetNumber":"1","CustomerStreetName":"B","CustomerCity":"C","CustomerProvince":"ON","CustomerPostalCode":"M5V 3A6",`+
			`"CustomerCountry":"CA","EmailAddress":"a@b.example","CurrentProvider":311}}`))
	require.NoError(t, err)
	req.SetBasicAuth("sim-thinktel", "sim-thinktel-password")
	answered := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/_sim/orders")
		if err != nil {
			return false
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return strings.Contains(string(b), `"carrier":"thinktel"`)
	}, 2*time.Second, 10*time.Millisecond)

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
		assert.Less(t, time.Since(start), 2*time.Second, "the hung handler did not hold up shutdown")
	case <-time.After(6 * time.Second):
		t.Fatal("run did not return")
	}
	assert.Equal(t, http.StatusOK, <-answered)
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"non-loopback", []string{"--addr", "0.0.0.0:0"}, "--allow-remote"},
		{"all interfaces", []string{"--addr", ":8480"}, "not a loopback"},
		{"rate above 1", []string{"--rate-503", "2"}, "rate_503"},
		{"bad level", []string{"--log-level", "loud"}, "log-level"},
		{"unknown flag", []string{"--nope"}, "nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			err := run(context.Background(), tc.args, &out)
			require.Error(t, err)
			assert.ErrorAs(t, err, new(usageError))
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, out.String(), "nothing printed on stdout")
		})
	}
}

// TestRunPrintsWhatAConfigNeeds: after the listening line, carriersim
// prints a carriers section and the environment that, together, make a
// configuration orderdrop loads with the sandbox's URLs and credentials.
func TestRunPrintsWhatAConfigNeeds(t *testing.T) {
	// The timeout only ends a run that never prints the lines read below.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--log-level", "warn"}, pw)
		pw.Close()
	}()
	r := bufio.NewReader(pr)
	first, err := r.ReadString('\n')
	require.NoError(t, err)
	base, ok := strings.CutPrefix(strings.TrimSpace(first), "carriersim listening on ")
	require.True(t, ok, "the first line stays the listening line (make demo parses it); got %q", first)

	var yml strings.Builder
	env := map[string]string{}
	for {
		line, err := r.ReadString('\n')
		require.NoError(t, err, "read the configuration lines")
		if rest, ok := strings.CutPrefix(line, "export "); ok {
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
			break
		}
		yml.WriteString(line)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	cfg, err := config.Parse([]byte(yml.String()), t.TempDir(), func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	require.NoError(t, err, "the printed lines must load as a configuration:\n%s", yml.String())
	cred := sim.DefaultCredentials()
	c := struct {
		Netwo    *netwo.Section
		Prizz    *prizz.Section
		Thinktel *thinktel.Section
	}{cfg.Carriers.Section("netwo").(*netwo.Section), cfg.Carriers.Section("prizz").(*prizz.Section), cfg.Carriers.Section("thinktel").(*thinktel.Section)}
	assert.Equal(t, base+"/netwo/api/v1", c.Netwo.BaseURL)
	assert.Equal(t, base+"/prizz", c.Prizz.BaseURL)
	assert.Equal(t, base+"/thinktel/rest.svc", c.Thinktel.BaseURL)
	assert.Equal(t, cred.NetwoAPIKey, c.Netwo.APIKey.Value())
	assert.Equal(t, cred.NetwoActorSlug, c.Netwo.ActorSlug.Value())
	assert.Equal(t, cred.PrizzEmail, c.Prizz.Email.Value())
	assert.Equal(t, cred.PrizzPassword, c.Prizz.Password.Value())
	assert.Equal(t, cred.ThinktelUser, c.Thinktel.Username.Value())
	assert.Equal(t, cred.ThinktelPassword, c.Thinktel.Password.Value())

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}
