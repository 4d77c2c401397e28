// The dashboard under a flood: events published into a real EventStream at a steady rate (20,000
// per second by default) for a minute reach the real MainWindow through the bridge, while a timer
// on the GUI thread measures how late the event loop runs it (the window's responsiveness), the
// process's resident memory is sampled, and each batch's newest event is timed from publication
// to the moment the window has taken it in (models and views updated; painting follows in the same
// loop turn). Prints medians/percentiles; not a Google Benchmark because the figures are of one
// long run.
//
//   bench_dashboard [--seconds 60] [--rate 20000]

#include "bridge/eventbridge.h"
#include "config/configloader.h"
#include "events/eventstream.h"
#include "session/dashboardsession.h"
#include "window/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <unistd.h>

using namespace breakwater;
using namespace std::chrono_literals;

namespace {

double residentMiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0.0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * double(sysconf(_SC_PAGESIZE)) / (1 << 20)
                             : 0.0;
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto index = std::size_t(p / 100.0 * double(values.size() - 1));
    return values[index];
}

// What a loaded pipeline publishes: mostly successful calls, some retried, a few failures, and a
// breaker transition now and then, with ids and latencies that vary like real ones.
Event nextEvent(std::uint64_t n)
{
    Event e;
    e.time = std::chrono::system_clock::now();
    e.service = QStringLiteral("elevenlabs");
    e.callId = n / 4 + 1;
    e.state = BreakerState::Closed;
    switch (n % 4) {
    case 0:
        e.type = EventType::CallStarted;
        break;
    case 1:
        e.type = EventType::AttemptStarted;
        e.attempt = 1;
        break;
    case 2:
        e.attempt = 1;
        e.latencyMs = 40.0 + double(n % 97);
        if (n % 40 == 2) {
            e.type = EventType::AttemptFailed;
            e.level = EventLevel::Warning;
            e.errorKind = ErrorKind::Transient;
            e.httpStatus = 503;
            e.message = QStringLiteral("HTTP 503 from the service (call %1)").arg(e.callId);
        } else {
            e.type = EventType::AttemptSucceeded;
        }
        break;
    default:
        e.type = n % 40 == 3 ? EventType::CallFailed : EventType::CallSucceeded;
        e.attempt = 1;
        e.latencyMs = 40.0 + double(n % 97);
        break;
    }
    if (n % 100'000 == 99'999) {
        e = Event{};
        e.time = std::chrono::system_clock::now();
        e.type = EventType::BreakerTransition;
        e.service = QStringLiteral("elevenlabs");
        e.fromState = BreakerState::Closed;
        e.toState = e.state = BreakerState::Open;
        e.delayMs = 10'000;
        e.message = QStringLiteral("5 consecutive failures (threshold 5); open for 10.0 s");
    }
    return e;
}

} // namespace

int main(int argc, char* argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("Flood length."), QStringLiteral("s"),
                                           QStringLiteral("60"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
                                        QStringLiteral("Events per second."), QStringLiteral("n"),
                                        QStringLiteral("20000"));
    parser.addOptions({secondsOption, rateOption});
    parser.process(app);
    const int seconds = parser.value(secondsOption).toInt();
    const double rate = parser.value(rateOption).toDouble();

    // The window as users get it, minus the pipeline: the flood stands in for it.
    DashboardSession session(parseConfig(QByteArrayLiteral("{}"), QProcessEnvironment()).config);
    MainWindow window(session);
    window.resize(1400, 900);
    window.show();
    const double idleMiB = residentMiB();

    EventStream stream;
    stream.addSink(&session.bridge());
    stream.start();
    session.bridge().start();

    std::vector<double> lateness; // ms past a 10 ms timer's due time
    std::vector<double> toWindow; // ms from publication to the window having the event
    std::vector<double> memory;
    QElapsedTimer tick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        lateness.push_back(std::max(0.0, double(tick.nsecsElapsed()) / 1e6 - 10.0));
        tick.restart();
    });
    // Connected after the window's own slot, so it runs once the window has taken the batch.
    QObject::connect(&session.bridge(), &EventBridge::eventsArrived, &app,
                     [&](std::span<const Event> events) {
                         const auto age = std::chrono::system_clock::now() - events.back().time;
                         toWindow.push_back(std::chrono::duration<double, std::milli>(age).count());
                     });
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] { memory.push_back(residentMiB()); });

    std::atomic<bool> flooding{true};
    std::uint64_t published = 0;
    std::thread flood([&] {
        const auto start = std::chrono::steady_clock::now();
        while (flooding.load()) {
            const double due =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() *
                rate;
            while (double(published) < due)
                stream.publish(nextEvent(published++));
            std::this_thread::sleep_for(1ms);
        }
    });
    tick.start();
    probe.start(10);
    sampler.start(1000);
    QTimer::singleShot(std::chrono::seconds(seconds), &app, [&] {
        flooding.store(false);
        QCoreApplication::quit();
    });
    QApplication::exec();
    flood.join();
    stream.stop();
    session.bridge().deliverPending();

    const SessionCounters counters = session.counters();
    std::printf("flood: %llu events in %d s (%.0f/s); dropped: stream %llu, window %llu\n",
                static_cast<unsigned long long>(published), seconds, double(published) / seconds,
                static_cast<unsigned long long>(stream.droppedCount()),
                static_cast<unsigned long long>(counters.windowDropped));
    std::printf("GUI timer lateness (ms): median %.2f, p99 %.2f, max %.2f over %zu ticks\n",
                percentile(lateness, 50), percentile(lateness, 99), percentile(lateness, 100),
                lateness.size());
    std::printf("publication to window (ms): median %.1f, p99 %.1f, max %.1f over %zu batches\n",
                percentile(toWindow, 50), percentile(toWindow, 99), percentile(toWindow, 100),
                toWindow.size());
    const double peak = memory.empty() ? 0.0 : *std::max_element(memory.begin(), memory.end());
    std::printf("resident memory (MiB): idle window %.0f, after %d s %.0f, peak %.0f\n", idleMiB,
                seconds, memory.empty() ? 0.0 : memory.back(), peak);
    if (memory.size() >= 20) { // growth over the last 10 s, once the ring has had time to fill
        std::printf("resident memory over the last 10 s: %.0f -> %.0f MiB\n",
                    memory[memory.size() - 11], memory.back());
    }
    return 0;
}
