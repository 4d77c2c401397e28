#include "elevenlabssimulator.h"

#include "net/tcpservershutdown.h"

#include <QHttpServerRequest>
#include <QMetaEnum>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace breakwater {
namespace {

// Marks a socket once it has carried a request, so connections are counted without keeping a
// list of sockets that may be deleted at any time.
constexpr const char* kSeenProperty = "bw_simulator_seen";

std::optional<QByteArray> headerValue(const QHttpServerRequest& request, QByteArrayView name)
{
    for (const auto& [key, value] : request.headers()) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return std::nullopt;
}

SimulatorRequest copyRequest(const QHttpServerRequest& request)
{
    const QByteArray method =
        QByteArray(
            QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(request.method())))
            .toUpper();
    return {method, request.url().path(), request.query(), headerValue(request, "xi-api-key"),
            request.body()};
}

bool wantsKeepAlive(const QHttpServerRequest& request)
{
    const std::optional<QByteArray> connection = headerValue(request, "connection");
    return !connection || connection->trimmed().compare("close", Qt::CaseInsensitive) != 0;
}

SimulatorOutcome outcomeOf(int status)
{
    return status >= 200 && status < 300 ? SimulatorOutcome::Ok : SimulatorOutcome::ErrorStatus;
}

} // namespace

ElevenLabsSimulator::ElevenLabsSimulator(std::shared_ptr<SimulatorControl> control, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_control(control ? std::move(control) : std::make_shared<SimulatorControl>())
{}

ElevenLabsSimulator::~ElevenLabsSimulator()
{
    stop();
}

bool ElevenLabsSimulator::start(const QHostAddress& address, quint16 port)
{
    if (isListening()) {
        m_error = QStringLiteral("the simulator is already listening on port ") %
                  QString::number(this->port());
        return false;
    }
    // Our own QTcpServer rather than QAbstractHttpServer::listen(): its error is reported.
    auto* tcpServer = new QTcpServer(this);
    if (!tcpServer->listen(address, port)) {
        m_error = QStringLiteral("cannot listen on ") % address.toString() % u':' %
                  QString::number(port) % QStringLiteral(": ") % tcpServer->errorString();
        delete tcpServer;
        return false;
    }
    bind(tcpServer);
    m_tcpServer = tcpServer;
    m_address = address;
    m_error.clear();
    return true;
}

void ElevenLabsSimulator::stop()
{
    shutDownTcpServer(m_tcpServer.data());
}

bool ElevenLabsSimulator::isListening() const
{
    return m_tcpServer && m_tcpServer->isListening();
}

quint16 ElevenLabsSimulator::port() const
{
    return isListening() ? m_tcpServer->serverPort() : 0;
}

QUrl ElevenLabsSimulator::baseUrl() const
{
    if (!isListening())
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_address.toString());
    url.setPort(port());
    return url;
}

bool ElevenLabsSimulator::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    if (!socket->property(kSeenProperty).toBool()) {
        socket->setProperty(kSeenProperty, true);
        m_control->countConnection();
    }
    SimulatorRequest copied = copyRequest(request);
    m_control->countReceived(SimulatedElevenLabsApi::endpointFor(copied.path));
    const bool keepAlive = wantsKeepAlive(request);
    const FaultDecision decision = m_control->decide();

    if (decision.mode == FaultMode::Hang) {
        m_control->countAnswered(SimulatorOutcome::Hung);
        return true;
    }
    if (decision.latency.count() > 0) {
        // A precise timer: a coarse one may fire early, and the latency is a promised minimum.
        // The server is its context (destroying the server drops it); the socket may be gone by
        // then, which answer() counts as abandoned.
        QTimer::singleShot(decision.latency, Qt::PreciseTimer, this,
                           [this, socket = QPointer<QTcpSocket>(socket), decision,
                            copied = std::move(copied),
                            keepAlive] { answer(socket, decision, copied, keepAlive); });
        return true;
    }
    answer(socket, decision, copied, keepAlive);
    return true;
}

void ElevenLabsSimulator::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    // Not reached (handleRequest answers everything), but the contract wants an answer.
    send(socket, simulatorresponse::notFound(), wantsKeepAlive(request),
         SimulatorOutcome::ErrorStatus);
}

void ElevenLabsSimulator::answer(QTcpSocket* socket, const FaultDecision& decision,
                                 const SimulatorRequest& request, bool keepAlive)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState) {
        m_control->countAnswered(SimulatorOutcome::Abandoned);
        return;
    }
    switch (decision.mode) {
    case FaultMode::ConnectionReset:
        reset(socket);
        return;
    case FaultMode::MalformedBody:
        send(socket, simulatorresponse::malformedBody(), keepAlive, SimulatorOutcome::Malformed);
        return;
    default:
        break;
    }
    if (const auto fault = simulatorresponse::forFault(decision.mode, decision.retryAfter)) {
        send(socket, *fault, keepAlive, SimulatorOutcome::ErrorStatus);
        return;
    }
    const SimulatedResponse response = m_api.answer(request);
    send(socket, response, keepAlive, outcomeOf(response.status));
}

void ElevenLabsSimulator::send(QTcpSocket* socket, const SimulatedResponse& response,
                               bool keepAlive, SimulatorOutcome outcome)
{
    socket->write(simulatorresponse::toWire(response, keepAlive));
    if (!keepAlive)
        socket->disconnectFromHost(); // after the buffered answer has gone out
    m_control->countAnswered(outcome);
}

void ElevenLabsSimulator::reset(QTcpSocket* socket)
{
#ifdef Q_OS_UNIX
    // Linger on, timeout zero: close() discards the connection with an RST instead of a FIN.
    const linger abortive{1, 0};
    ::setsockopt(int(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &abortive,
                 sizeof(abortive));
#endif
    socket->abort();
    m_control->countAnswered(SimulatorOutcome::Reset);
}

} // namespace breakwater
