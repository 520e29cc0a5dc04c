namespace Twilio.ChatRooms.Emulator.TwilioConventions;

/// <summary>A Twilio error: HTTP status and Twilio error code. Made only by <see cref="TwilioErrors"/>.</summary>
internal sealed class EmulatorException : Exception
{
    public EmulatorException(int status, int code, string message) : base(message)
    {
        Status = status;
        Code = code;
    }

    public EmulatorException()
    {
    }

    public EmulatorException(string message) : base(message)
    {
    }

    public EmulatorException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public int Status { get; } = 500;

    public int Code { get; } = TwilioErrors.InternalError;
}
