#pragma once

#include "events/event.h"

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QStringList>
#include <QTest>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>
#include <vector>

// What the Sheets sink tests share: events to feed it, a way to block in the sink (stop, a
// direct POST) while the fake on the test's thread keeps answering, and the secret search.
namespace breakwater::sheetstest {

// A call outcome as the pipeline publishes it, with the stream's sequence number.
inline Event callOutcome(std::uint64_t sequence)
{
    Event e;
    e.sequence = sequence;
    e.time = std::chrono::system_clock::now();
    e.type = sequence % 5 == 0 ? EventType::CallFailed : EventType::CallSucceeded;
    e.level = sequence % 5 == 0 ? EventLevel::Error : EventLevel::Info;
    e.service = QStringLiteral("elevenlabs");
    e.callId = sequence;
    e.attempt = int(sequence % 3) + 1;
    e.state = BreakerState::Closed;
    e.latencyMs = double(sequence) / 8.0;
    if (e.type == EventType::CallFailed) {
        e.reason = QStringLiteral("retries_exhausted");
        e.errorKind = ErrorKind::Transient;
        e.httpStatus = 503;
        e.errorCode = QStringLiteral("service_unavailable");
        e.message = QStringLiteral("=HYPERLINK(\"http://evil.example\") \"quoted\", line\nbreak");
    }
    return e;
}

inline std::vector<Event> callOutcomes(std::uint64_t first, int count)
{
    std::vector<Event> events;
    for (int i = 0; i < count; ++i)
        events.push_back(callOutcome(first + std::uint64_t(i)));
    return events;
}

// "<run>-<first>", ... : the event ids those outcomes get.
inline QStringList eventIds(const QString& runId, std::uint64_t first, int count)
{
    QStringList ids;
    for (int i = 0; i < count; ++i)
        ids.append(runId + QLatin1Char('-') + QString::number(first + std::uint64_t(i)));
    return ids;
}

// Runs `work` on a thread of its own and keeps the test's event loop turning until it is done:
// the fake servers live on the test's thread and must answer while the sink blocks.
inline bool runInBackground(const std::function<void()>& work, int timeoutMs = 30000)
{
    std::atomic<bool> done{false};
    std::thread thread([&] {
        work();
        done = true;
    });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!done && std::chrono::steady_clock::now() < deadline)
        QTest::qWait(10);
    thread.join(); // past the deadline the test fails anyway; the join bounds nothing more
    return done;
}

inline QStringList filesUnder(const QString& directory)
{
    QStringList files;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    return files;
}

// Where a secret was found ("event 12 message", a file's path), or empty.
inline QString findSecret(const QStringList& secrets, const std::vector<Event>& events,
                          const QStringList& texts, const QString& directory)
{
    for (const QString& secret : secrets) {
        if (secret.size() < 8)
            continue;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& e = events[i];
            for (const QString& field : {e.service, e.reason, e.errorCode, e.message}) {
                if (field.contains(secret))
                    return QStringLiteral("event %1 (%2)").arg(i).arg(eventTypeName(e.type));
            }
        }
        for (const QString& text : texts) {
            if (text.contains(secret))
                return QStringLiteral("text \"%1\"").arg(text.left(80));
        }
        for (const QString& path : filesUnder(directory)) {
            QFile file(path);
            if (file.open(QIODevice::ReadOnly) && file.readAll().contains(secret.toUtf8()))
                return path;
        }
    }
    return {};
}

} // namespace breakwater::sheetstest
