#pragma once

#include "alertsettings.h"
#include "notification.h"
#include "silence.h"

#include <map>
#include <optional>
#include <set>
#include <vector>

namespace breakwater {

// Alertmanager's grouping and de-duplication, per service: a group's first message waits
// groupWait for more alerts to join it; later changes go out at most once per groupInterval;
// alerts still firing unchanged are sent again after repeatInterval; a resolution is sent once,
// and only for an alert whose firing was sent. An alert that fires and resolves between two
// messages, or a breaker that opens and closes a thousand times in a minute, therefore costs a
// few messages, not one per change. Silenced alerts are left out of messages while the silence
// lasts, and go out after it ends if still firing (flush() is called at least every second).
//
// Plain logic with the time passed in. Not thread-safe.
class NotificationGrouper final
{
public:
    explicit NotificationGrouper(const AlertRoutingSettings& settings);

    // A raised or resolved alert (resolved ones carry endsAt).
    void update(const Alert& alert, TimePoint now);
    // When flush() next has something to do; nullopt when nothing is waiting.
    std::optional<TimePoint> nextFlushAt() const;
    // The messages due at `now`.
    std::vector<Notification> flush(TimePoint now, WallTime wallNow, const SilenceList& silences);
    // Every message that would go out if all waits were over: at shutdown, so that nothing
    // raised is lost.
    std::vector<Notification> flushAll(WallTime wallNow, const SilenceList& silences);

private:
    struct Group
    {
        std::map<QString, Alert> alerts;  // by fingerprint: the latest word on each
        std::set<QString> notifiedFiring; // fingerprints the last message sent as firing
        std::optional<TimePoint> lastSent;
        TimePoint dueAt;
        bool changed = false; // since the last message
    };

    std::optional<Notification> flushGroup(const QString& service, Group& group, TimePoint now,
                                           WallTime wallNow, const SilenceList& silences);
    void schedule(Group& group, TimePoint now);
    static bool hasUntoldFiring(const Group& group, WallTime wallNow, const SilenceList& silences);

    const AlertRoutingSettings m_settings;
    std::map<QString, Group> m_groups; // by service
};

} // namespace breakwater
