#pragma once

#include "alert.h"
#include "alertsettings.h"
#include "events/event.h"

#include <deque>
#include <map>
#include <vector>

namespace breakwater {

// The rules that turn the event stream into alerts, each alert raised once per fingerprint and
// resolved once:
//   breaker_open       critical (warning when an operator forced it) when a breaker opens;
//                      resolved when it closes: the "service recovered" message.
//   breaker_stuck      warning when a breaker has not closed for stuckAfter since it opened.
//   breaker_flapping   warning when a breaker trips (closed -> open) flappingTrips times within
//                      flappingWindow; resolved once fewer trips fall in the window. Trips, not
//                      every transition: each failed half-open trial is two transitions, so
//                      counting those would call every long outage flapping.
//   retries_exhausted  warning when retriesExhaustedCalls calls fail with their retries (or the
//                      retry budget) spent within the window; resolved when fewer do.
//   permanent_error    critical when the service refuses the key or the quota is spent: once per
//                      service and error code, not per call; resolved by the next good call.
//
// Plain logic with the time passed in, so tests drive it instant by instant. Not thread-safe.
class AlertRules final
{
public:
    explicit AlertRules(const AlertRuleSettings& settings);

    // What the event raised or resolved, in order. Resolved alerts carry endsAt.
    std::vector<Alert> onEvent(const Event& event);
    // The rules that fire or resolve with the passing of time alone.
    std::vector<Alert> evaluate(WallTime now);
    // The alerts firing now.
    std::vector<Alert> active() const;

private:
    struct ServiceState
    {
        BreakerState breaker = BreakerState::Closed;
        WallTime notClosedSince; // meaningful while the breaker is not closed
        std::deque<WallTime> trips;
        std::deque<WallTime> exhaustedCalls;
    };

    void onTransition(const Event& event, std::vector<Alert>& changes);
    void onCallFailed(const Event& event, std::vector<Alert>& changes);
    void onPermanentError(const Event& event, std::vector<Alert>& changes);
    void onCallSucceeded(const Event& event, std::vector<Alert>& changes);

    void raise(Alert alert, std::vector<Alert>& changes);
    void resolve(const QString& fingerprint, WallTime at, const QString& summary,
                 std::vector<Alert>& changes);
    void resolveRule(const QString& rule, const QString& service, WallTime at,
                     const QString& summary, std::vector<Alert>& changes);

    const AlertRuleSettings m_settings;
    std::map<QString, ServiceState> m_services;
    std::map<QString, Alert> m_active; // by fingerprint
};

// The rule names, as alerts and their events carry them.
namespace alertrule {
inline const QString kBreakerOpen = QStringLiteral("breaker_open");
inline const QString kBreakerStuck = QStringLiteral("breaker_stuck");
inline const QString kBreakerFlapping = QStringLiteral("breaker_flapping");
inline const QString kRetriesExhausted = QStringLiteral("retries_exhausted");
inline const QString kPermanentError = QStringLiteral("permanent_error");
} // namespace alertrule

} // namespace breakwater
