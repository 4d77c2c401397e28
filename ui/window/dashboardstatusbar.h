#pragma once

#include <QStatusBar>
#include <QUrl>

#include <chrono>
#include <cstdint>

class QLabel;

namespace breakwater {

struct SessionCounters;

// The bottom line of the window: where calls go, how fast events arrive, and that nothing was
// dropped anywhere (or exactly how much was).
class DashboardStatusBar final : public QStatusBar
{
    Q_OBJECT

public:
    explicit DashboardStatusBar(QWidget* parent = nullptr);

    void showEndpoint(const QUrl& url, bool simulator);
    void showLogFile(const QString& path);
    // Where Prometheus scrapes this process (metrics.listen); empty: not served.
    void showMetricsUrl(const QUrl& url);
    // Called about once a second with the totals so far; the rate is worked out here.
    void showCounters(const SessionCounters& counters, std::uint64_t eventsShown);

private:
    QLabel* m_endpoint = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_dropped = nullptr;
    QLabel* m_logFile = nullptr;
    QLabel* m_metrics = nullptr;
    std::uint64_t m_lastShown = 0;
    std::chrono::steady_clock::time_point m_lastAt{};
};

} // namespace breakwater
