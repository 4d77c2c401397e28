#include "notificationgrouper.h"

namespace breakwater {

NotificationGrouper::NotificationGrouper(const AlertRoutingSettings& settings)
    : m_settings(settings)
{}

void NotificationGrouper::update(const Alert& alert, TimePoint now)
{
    Group& group = m_groups[alert.service];
    group.alerts[alert.fingerprint] = alert;
    if (!group.changed) {
        group.changed = true;
        schedule(group, now);
    }
}

void NotificationGrouper::schedule(Group& group, TimePoint now)
{
    if (!group.lastSent)
        group.dueAt = saturatingAdd(now, m_settings.groupWait);
    else
        group.dueAt = std::max(now, saturatingAdd(*group.lastSent, m_settings.groupInterval));
}

std::optional<TimePoint> NotificationGrouper::nextFlushAt() const
{
    std::optional<TimePoint> next;
    for (const auto& [service, group] : m_groups) {
        std::optional<TimePoint> due;
        if (group.changed)
            due = group.dueAt;
        else if (!group.notifiedFiring.empty() && group.lastSent)
            due = saturatingAdd(*group.lastSent, m_settings.repeatInterval);
        if (due && (!next || *due < *next))
            next = due;
    }
    return next;
}

std::vector<Notification> NotificationGrouper::flush(TimePoint now, WallTime wallNow,
                                                     const SilenceList& silences)
{
    std::vector<Notification> out;
    for (auto& [service, group] : m_groups) {
        const bool changeDue = group.changed && now >= group.dueAt;
        const bool repeatDue = !group.changed && !group.notifiedFiring.empty() && group.lastSent &&
                               now >= saturatingAdd(*group.lastSent, m_settings.repeatInterval);
        // A silence that ended leaves a firing alert nobody was told about, also in a group
        // that never sent anything because all it held was silenced.
        const bool unmutedDue =
            !group.changed &&
            (!group.lastSent || now >= saturatingAdd(*group.lastSent, m_settings.groupInterval)) &&
            hasUntoldFiring(group, wallNow, silences);
        if (!changeDue && !repeatDue && !unmutedDue)
            continue;
        if (std::optional<Notification> n = flushGroup(service, group, now, wallNow, silences))
            out.push_back(std::move(*n));
    }
    // A group lives on for groupInterval after its last message, so that an alert firing again
    // right after a resolution waits like any later change instead of starting a new group.
    std::erase_if(m_groups, [this, now](const auto& entry) {
        const Group& group = entry.second;
        return group.alerts.empty() && group.notifiedFiring.empty() &&
               (!group.lastSent || now >= saturatingAdd(*group.lastSent, m_settings.groupInterval));
    });
    return out;
}

bool NotificationGrouper::hasUntoldFiring(const Group& group, WallTime wallNow,
                                          const SilenceList& silences)
{
    for (const auto& [fingerprint, alert] : group.alerts) {
        if (!alert.isResolved() && !group.notifiedFiring.contains(fingerprint) &&
            !silences.silences(alert, wallNow))
            return true;
    }
    return false;
}

std::vector<Notification> NotificationGrouper::flushAll(WallTime wallNow,
                                                        const SilenceList& silences)
{
    std::vector<Notification> out;
    for (auto& [service, group] : m_groups) {
        if (!group.changed)
            continue;
        if (std::optional<Notification> n =
                flushGroup(service, group, group.dueAt, wallNow, silences))
            out.push_back(std::move(*n));
    }
    return out;
}

std::optional<Notification> NotificationGrouper::flushGroup(const QString& service, Group& group,
                                                            TimePoint now, WallTime wallNow,
                                                            const SilenceList& silences)
{
    Notification n;
    n.service = service;
    n.createdAt = wallNow;
    std::set<QString> firing;
    std::vector<Alert> resolved;
    for (auto it = group.alerts.begin(); it != group.alerts.end();) {
        const Alert& alert = it->second;
        if (alert.isResolved()) {
            // Only a resolution of what people were told about is news to them.
            if (group.notifiedFiring.contains(alert.fingerprint))
                resolved.push_back(alert);
            it = group.alerts.erase(it);
            continue;
        }
        if (!silences.silences(alert, wallNow)) {
            firing.insert(alert.fingerprint);
            n.alerts.push_back(alert);
        }
        ++it;
    }
    n.alerts.insert(n.alerts.end(), resolved.begin(), resolved.end());

    const bool repeatDue =
        group.lastSent && now >= saturatingAdd(*group.lastSent, m_settings.repeatInterval);
    const bool news = firing != group.notifiedFiring || !resolved.empty();
    group.changed = false;
    if (n.alerts.empty() || (!news && !repeatDue)) {
        // Nothing new to say; a silenced or vanished alert is no longer "notified".
        group.notifiedFiring = firing;
        return std::nullopt;
    }
    group.notifiedFiring = std::move(firing);
    group.lastSent = now;
    return n;
}

} // namespace breakwater
