#pragma once

#include "clock/clock.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace breakwater {

// When the rules raise an alert. Keys alerts.rules.*.
struct AlertRuleSettings
{
    // A breaker that has not closed for this long since it opened (open, half-open, open ...).
    Duration stuckAfter = std::chrono::minutes(5);
    // A breaker that trips (closed -> open) this many times within the window.
    int flappingTrips = 3;
    Duration flappingWindow = std::chrono::minutes(10);
    // Calls that failed with every retry spent, this many within the window.
    int retriesExhaustedCalls = 5;
    Duration retriesExhaustedWindow = std::chrono::minutes(1);
};

// How alerts become messages, in Alertmanager's terms. Keys alerts.group_wait_ms, ...
struct AlertRoutingSettings
{
    // How long a new group waits for more alerts before its first message.
    Duration groupWait = std::chrono::seconds(1);
    // How long a group waits after a message before it sends what changed since.
    Duration groupInterval = std::chrono::seconds(5);
    // How long before a message is sent again for alerts that are still firing unchanged.
    Duration repeatInterval = std::chrono::hours(4);
};

// How each channel delivers. Keys alerts.delivery.*.
struct AlertDeliverySettings
{
    Duration timeout = std::chrono::seconds(10); // one attempt, connection to answer
    Duration baseDelay = std::chrono::seconds(1);
    Duration maxDelay = std::chrono::minutes(5);
    // A delivery still failing this long after it was queued is given up and reported.
    Duration maxAge = std::chrono::hours(24);
    // At shutdown, how long due deliveries may still go out; the rest wait in the outbox.
    Duration shutdownGrace = std::chrono::seconds(3);
    // Each channel's own circuit breaker: open after this many failed attempts in a row, for
    // this long, then one trial delivery.
    int breakerFailures = 3;
    Duration breakerOpenWait = std::chrono::seconds(30);
};

// Keys alerts.email.*. Off while url is empty.
struct EmailChannelSettings
{
    QUrl url; // smtp://host:587 (STARTTLS) or smtps://host:465 (TLS from the start)
    QString username;
    QString password; // or the environment's BREAKWATER_SMTP_PASSWORD
    QString from;
    QStringList to;
    bool requireTls = true; // smtp://: refuse to send unless STARTTLS succeeds
    QString caFile;         // PEM bundle to verify the server with; empty: the system's

    bool isEnabled() const { return !url.isEmpty(); }
};

// Keys alerts.telegram.*. Off until both the token and the chat are set.
struct TelegramChannelSettings
{
    QUrl baseUrl{QStringLiteral("https://api.telegram.org")};
    QString botToken; // or the environment's BREAKWATER_TELEGRAM_BOT_TOKEN
    QString chatId;   // a number or @channelname

    bool isEnabled() const { return !botToken.isEmpty() && !chatId.isEmpty(); }
};

// Keys alerts.webhook.*. Off while url is empty.
struct WebhookChannelSettings
{
    QUrl url;
    // Signs each request per Standard Webhooks; "whsec_<base64>" or any text. Or the
    // environment's BREAKWATER_WEBHOOK_SECRET.
    QString secret;

    bool isEnabled() const { return !url.isEmpty(); }
};

// Everything under alerts.*.
struct AlertSettings
{
    AlertRuleSettings rules;
    AlertRoutingSettings routing;
    AlertDeliverySettings delivery;
    EmailChannelSettings email;
    TelegramChannelSettings telegram;
    WebhookChannelSettings webhook;
    // Silences from the config, each "<rule>[/<service>] [for <duration> | until <time>]"
    // (see silence.h).
    QStringList silences;
};

} // namespace breakwater
