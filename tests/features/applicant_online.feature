Feature: I file a construction permit online and follow it without an account
  I am the owner of a plot in the ward. I file the application for a permit to build my
  house from home, with a scan of each paper the procedure asks for, and keep the code and
  the secret the receipt gives me. I look my dossier up by its code, typed the way I copy
  it off the screen; when the office asks me for a missing paper I upload it from home, and
  the time I took does not count against the office. When the permit is ready I collect it
  and say how I was served. If I lose the secret, I get a new one on my phone.

  Scenario: I lost my secret and get a new one on my phone
    Given it is 09:00 on 2026-06-15 at the ward office
    When I file online for a permit to build a 2-storey house of 50 m² with a scan of each paper
    And I lost the secret and ask for a new one by SMS with my ID number and phone typed with spaces
    Then I am told a new secret was sent if my details match, without the secret
    And a text message with a new secret waits to be sent to my phone
    And the old secret no longer opens my dossier, the new one does
    When someone asks for a new secret with my code and a wrong phone number
    Then they are told the same words
    And no other message is sent
