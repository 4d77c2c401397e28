#pragma once

#include "clock/clock.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <chrono>

namespace breakwater {

// The Google Sheets sink. Keys sheets.*. Without a spreadsheet the same rows go to
// <log-dir>/sheets.csv.
struct SheetsSettings
{
    QString spreadsheetId;                       // empty: sheets.csv instead
    QString range = QStringLiteral("Sheet1!A1"); // where values.append looks for the table
    QUrl baseUrl{QStringLiteral("https://sheets.googleapis.com")};
    QUrl tokenUrl{QStringLiteral("https://oauth2.googleapis.com/token")};
    QString credentialsFile; // a service account's JSON key; or:
    QString bearerToken;     // an access token (or the environment's BREAKWATER_SHEETS_TOKEN)
    // The events that become rows, by their log names.
    QStringList events = {QStringLiteral("call_succeeded"), QStringLiteral("call_failed"),
                          QStringLiteral("call_skipped"), QStringLiteral("call_degraded"),
                          QStringLiteral("breaker_transition")};
    Duration batchInterval = std::chrono::seconds(1); // at most one append request this often
    int maxBatchRows = 500;                           // rows per request at most
    int queueMaxRows = 100'000; // rows kept on disk while the API is away; past it, counted drops
    Duration timeout = std::chrono::seconds(10); // one request

    bool isEnabled() const { return !spreadsheetId.isEmpty(); }
};

// The Prometheus endpoint. Keys metrics.*.
struct MetricsSettings
{
    QString listen; // "127.0.0.1:9464"; empty: no endpoint

    bool isEnabled() const { return !listen.isEmpty(); }
};

} // namespace breakwater
