// One emulator for the tests of this assembly that share one (the ClientFace tests).
[assembly: AssemblyFixture(typeof(Twilio.ChatRooms.TestSupport.EmulatorFixture))]
