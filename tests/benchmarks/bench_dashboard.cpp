// The dashboard under a flood: events published into a real EventStream at a steady rate (20,000
// per second by default) for a minute reach the real MainWindow through the bridge, while a timer
// on the GUI thread measures how late the event loop runs it (the window's responsiveness), the
// process's resident memory is sampled, and each batch's newest and oldest events are timed from
// publication to the moment the window has taken them in (models and views updated; the repaint
// they ask for runs when the event loop next handles posted events). Prints percentiles; not a
// Google Benchmark because the figures are of one long run.
//
//   bench_dashboard [--seconds 60] [--rate 20000] [--log-rows 1000000]

#include "bridge/eventbridge.h"
#include "config/configloader.h"
#include "events/eventstream.h"
#include "floodevents.h"
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
    const QCommandLineOption rowsOption(QStringLiteral("log-rows"),
                                        QStringLiteral("Rows the log table keeps."),
                                        QStringLiteral("n"), QStringLiteral("1000000"));
    parser.addOptions({secondsOption, rateOption, rowsOption});
    parser.process(app);
    const int seconds = parser.value(secondsOption).toInt();
    const double rate = parser.value(rateOption).toDouble();

    // The window as users get it, minus the pipeline: the flood stands in for it.
    AppConfig config = parseConfig(QByteArrayLiteral("{}"), QProcessEnvironment()).config;
    config.dashboard.logRows = parser.value(rowsOption).toInt();
    DashboardSession session(config);
    MainWindow window(session);
    window.resize(1400, 900);
    window.show();
    const double idleMiB = residentMiB();

    EventStream stream;
    stream.addSink(&session.bridge());
    stream.start();
    session.bridge().start();

    std::vector<double> lateness; // ms past a 10 ms timer's due time
    // ms from publication to the window having the event: the batch's newest and its oldest
    // (which waited longest in the bridge).
    std::vector<double> toWindow;
    std::vector<double> oldestToWindow;
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
                         const WallTime now = std::chrono::system_clock::now();
                         using Ms = std::chrono::duration<double, std::milli>;
                         toWindow.push_back(Ms(now - events.back().time).count());
                         oldestToWindow.push_back(Ms(now - events.front().time).count());
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
                stream.publish(floodEvent(published++));
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
    std::printf("  the oldest event of each batch (ms): median %.1f, p99 %.1f, max %.1f\n",
                percentile(oldestToWindow, 50), percentile(oldestToWindow, 99),
                percentile(oldestToWindow, 100));
    const double peak = memory.empty() ? 0.0 : *std::max_element(memory.begin(), memory.end());
    std::printf("resident memory (MiB): idle window %.0f, after %d s %.0f, peak %.0f\n", idleMiB,
                seconds, memory.empty() ? 0.0 : memory.back(), peak);
    if (memory.size() >= 20) { // growth over the last 10 s, once the ring has had time to fill
        std::printf("resident memory over the last 10 s: %.0f -> %.0f MiB\n",
                    memory[memory.size() - 11], memory.back());
    }
    return 0;
}
