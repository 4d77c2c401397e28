#pragma once

#include <QHostAddress>
#include <QString>
#include <QUrl>

#include <memory>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace breakwater {

class MetricsHttpServer;
class MetricsRegistry;

// The Prometheus endpoint: GET /metrics served from a registry on a thread of its own
// ("bw-metrics"), so neither a scrape nor a slow scraper reaches the pipeline, the stream or a
// window. Use it from one thread (the one that owns it). The destructor stops it.
class MetricsEndpoint final
{
public:
    // The registry must outlive the endpoint's run.
    explicit MetricsEndpoint(const MetricsRegistry& registry);
    ~MetricsEndpoint();
    MetricsEndpoint(const MetricsEndpoint&) = delete;
    MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

    // Starts the thread and listens (port 0: any free port); returns once the port is bound or
    // refused: why not, or an empty string. On failure nothing is left running.
    [[nodiscard]] QString start(const QHostAddress& address, quint16 port);
    // The same from metrics.listen's "host:port" ("127.0.0.1:9464", "localhost:0", "[::1]:9464").
    [[nodiscard]] QString start(const QString& listen);
    // Closes every connection and joins the thread. After it no callback of the registry is
    // called from here again.
    void stop();

    bool isRunning() const { return m_server != nullptr; }
    quint16 port() const { return m_port; } // the bound one, also when 0 was asked for
    QUrl url() const;                       // "http://127.0.0.1:<port>/metrics"

private:
    const MetricsRegistry& m_registry;
    std::unique_ptr<QThread> m_thread;
    MetricsHttpServer* m_server = nullptr; // lives on m_thread; deleted there
    QHostAddress m_address;
    quint16 m_port = 0;
};

} // namespace breakwater
