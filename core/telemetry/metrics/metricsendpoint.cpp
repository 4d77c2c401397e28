#include "metricsendpoint.h"

#include "config/telemetryconfigkeys.h"
#include "metricshttpserver.h"
#include "threading/callandwait.h"

#include <QThread>

namespace breakwater {

MetricsEndpoint::MetricsEndpoint(const MetricsRegistry& registry)
    : m_registry(registry)
{}

MetricsEndpoint::~MetricsEndpoint()
{
    stop();
}

QString MetricsEndpoint::start(const QString& listen)
{
    QString host;
    quint16 port = 0;
    if (QString problem = parseListenAddress(listen, &host, &port); !problem.isEmpty())
        return QStringLiteral("metrics.listen: ") + problem;
    const QHostAddress address =
        host == u"localhost" ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(host);
    return start(address, port);
}

QString MetricsEndpoint::start(const QHostAddress& address, quint16 port)
{
    if (isRunning())
        return QStringLiteral("the metrics endpoint is already serving on port ") %
               QString::number(m_port);
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("bw-metrics"));
    m_thread->start();

    auto* server = new MetricsHttpServer(m_registry);
    server->moveToThread(m_thread.get());
    QString error;
    quint16 bound = 0;
    // Blocking: the caller learns the port (or the refusal) before start() returns.
    callAndWait(server, [&] {
        error = server->start(address, port);
        bound = server->port();
    });
    m_server = server;
    if (!error.isEmpty()) {
        stop();
        return error;
    }
    m_address = address;
    m_port = bound;
    return {};
}

void MetricsEndpoint::stop()
{
    if (!m_thread)
        return;
    if (m_server) {
        MetricsHttpServer* server = std::exchange(m_server, nullptr);
        callAndWait(server, [server] { delete server; });
    }
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_port = 0;
}

QUrl MetricsEndpoint::url() const
{
    if (!isRunning())
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_address.toString());
    url.setPort(m_port);
    url.setPath(QStringLiteral("/metrics"));
    return url;
}

} // namespace breakwater
