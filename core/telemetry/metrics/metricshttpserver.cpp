#include "metricshttpserver.h"

#include "metricsregistry.h"
#include "net/tcpservershutdown.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpServer>
#include <QTcpSocket>

namespace breakwater {
namespace {

constexpr QByteArrayView kMetricsPath = "/metrics";

void sendText(QHttpServerResponder& responder, const QByteArray& text,
              QHttpServerResponder::StatusCode status)
{
    responder.write(text, QByteArrayLiteral("text/plain; charset=utf-8"), status);
}

} // namespace

MetricsHttpServer::MetricsHttpServer(const MetricsRegistry& registry, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_registry(registry)
{}

MetricsHttpServer::~MetricsHttpServer()
{
    stop();
}

QString MetricsHttpServer::start(const QHostAddress& address, quint16 port)
{
    // Our own QTcpServer rather than QAbstractHttpServer::listen(): its error is reported.
    auto* tcpServer = new QTcpServer(this);
    if (!tcpServer->listen(address, port)) {
        const QString error = QStringLiteral("cannot serve metrics on ") % address.toString() %
                              u':' % QString::number(port) % QStringLiteral(": ") %
                              tcpServer->errorString();
        delete tcpServer;
        return error;
    }
    bind(tcpServer);
    m_tcpServer = tcpServer;
    return {};
}

void MetricsHttpServer::stop()
{
    shutDownTcpServer(m_tcpServer.data()); // a scraper's kept-alive connection ends too
}

quint16 MetricsHttpServer::port() const
{
    return m_tcpServer && m_tcpServer->isListening() ? m_tcpServer->serverPort() : 0;
}

bool MetricsHttpServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    answer(request, socket);
    // Qt's server keeps every connection alive; a client that asked to close (RFC 9112 9.6) and
    // reads to the end would otherwise wait forever.
    if (request.value(QByteArrayLiteral("connection")).compare("close", Qt::CaseInsensitive) == 0)
        socket->disconnectFromHost(); // after what was written has gone out
    return true;
}

void MetricsHttpServer::answer(const QHttpServerRequest& request, QTcpSocket* socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    if (request.url().path() != QLatin1StringView(kMetricsPath)) {
        sendText(responder, QByteArrayLiteral("not found: the metrics are at /metrics\n"),
                 QHttpServerResponder::StatusCode::NotFound);
        return;
    }
    if (request.method() != QHttpServerRequest::Method::Get) {
        responder.write(
            QByteArrayLiteral("only GET is served here\n"),
            {{QByteArrayLiteral("Allow"), QByteArrayLiteral("GET")},
             {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=utf-8")}},
            QHttpServerResponder::StatusCode::MethodNotAllowed);
        return;
    }
    responder.write(m_registry.scrape(), MetricsRegistry::kContentType.toByteArray());
    return;
}

void MetricsHttpServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    // Not reached (handleRequest answers everything), but the contract wants an answer.
    QHttpServerResponder responder = makeResponder(request, socket);
    sendText(responder, QByteArrayLiteral("not found\n"),
             QHttpServerResponder::StatusCode::NotFound);
}

} // namespace breakwater
