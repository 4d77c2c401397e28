#pragma once

#include <QAbstractHttpServer>
#include <QHostAddress>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QTcpServer;
QT_END_NAMESPACE

namespace breakwater {

class MetricsRegistry;

// Serves GET /metrics from a registry, in the text format; every other path is 404 and another
// method on /metrics is 405. Lives on one thread (MetricsEndpoint's) and scrapes there, so a
// scrape costs the pipeline and the stream nothing but the atomic reads of the values.
class MetricsHttpServer final : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit MetricsHttpServer(const MetricsRegistry& registry, QObject* parent = nullptr);
    ~MetricsHttpServer() override;
    Q_DISABLE_COPY_MOVE(MetricsHttpServer)

    // Listens on address:port (port 0: any free port). Returns why not, or an empty string.
    QString start(const QHostAddress& address, quint16 port);
    void stop();
    quint16 port() const;

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    void answer(const QHttpServerRequest& request, QTcpSocket* socket);

    const MetricsRegistry& m_registry;
    QPointer<QTcpServer> m_tcpServer;
};

} // namespace breakwater
