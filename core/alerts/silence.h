#pragma once

#include "alert.h"

#include <QString>

#include <mutex>
#include <optional>
#include <vector>

namespace breakwater {

// Mutes the alerts of a rule, a service or both, as Alertmanager's silences do: a muted alert is
// still raised, logged and shown in the dashboard's feed, but no channel sends it. A silence
// lasts for a duration or until a time; one without either lasts as long as the program runs.
struct Silence
{
    QString rule = QStringLiteral("*");    // "*": every rule
    QString service = QStringLiteral("*"); // "*": every service
    std::optional<WallTime> until;

    bool matches(const Alert& alert, WallTime now) const;
    bool hasEnded(WallTime now) const { return until && now >= *until; }
};

// Reads "<rule>[/<service>] [for <duration> | until <time>]": "breaker_flapping",
// "*/elevenlabs for 2h", "breaker_open/elevenlabs until 2026-12-31T08:00:00Z". Durations are a
// whole number and a unit: ms, s, min (or m), h, d. A duration counts from `now`. On a mistake,
// returns nullopt and says why in error.
std::optional<Silence> parseSilence(QStringView text, WallTime now, QString* error);

// "breaker_open/elevenlabs until 10:04 UTC", for the log and the window.
QString describeSilence(const Silence& silence);

// The silences in force, shared by the alert manager (which consults them when it sends) and
// whoever adds them: the config at start, the dashboard at any time. Thread-safe.
class SilenceList final
{
public:
    void add(Silence silence);
    // Drops every silence of this rule and service (a dashboard's "unmute").
    void remove(const QString& rule, const QString& service);
    bool silences(const Alert& alert, WallTime now) const;
    // Those not yet ended.
    std::vector<Silence> active(WallTime now) const;

private:
    mutable std::mutex m_mutex;
    std::vector<Silence> m_silences; // guarded by m_mutex
};

} // namespace breakwater
