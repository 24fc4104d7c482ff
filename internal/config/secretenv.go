package config

import (
	"os"
	"strings"
)

// EnvVars returns the environment variables the secret is read from (its
// ${VAR} references), for messages that say where to fix it; nil for a
// literal value.
func (s Secret) EnvVars() []string {
	var names []string
	os.Expand(s.raw, func(name string) string {
		names = append(names, name)
		return ""
	})
	return names
}

// CredentialsHint says where a carrier's credentials are configured, for
// a message after the carrier refused them: "carriers.thinktel.username and
// carriers.thinktel.password (environment variables TT_USER, TT_PASSWORD)".
// carrier is "netwo", "prizz" or "thinktel".
func (c *Config) CredentialsHint(carrier string) string {
	type key struct {
		name string
		s    Secret
	}
	var keys []key
	switch carrier {
	case "netwo":
		keys = []key{{"api_key", c.Carriers.Netwo.APIKey}, {"actor_slug", c.Carriers.Netwo.ActorSlug}}
	case "prizz":
		keys = []key{{"email", c.Carriers.Prizz.Email}, {"password", c.Carriers.Prizz.Password}}
	case "thinktel":
		keys = []key{{"username", c.Carriers.Thinktel.Username}, {"password", c.Carriers.Thinktel.Password}}
	default:
		return "the credentials under carriers." + carrier
	}
	var names, envs []string
	for _, k := range keys {
		names = append(names, "carriers."+carrier+"."+k.name)
		envs = append(envs, k.s.EnvVars()...)
	}
	hint := strings.Join(names, " and ")
	if len(envs) > 0 {
		hint += " (environment variables " + strings.Join(envs, ", ") + ")"
	}
	return hint
}
